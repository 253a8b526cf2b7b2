import Foundation
import KPIWatchCore
import KPIWatchEngine

/// Turns one evaluation into what the report templates read: the summary, a section per KPI grouped by rule file,
/// the benchmark comparison, the cases at risk and the data quality.
public struct ReportBuilder {
    package let evaluation: Evaluation
    package let project: LoadedProject
    package let format: ReportFormat
    /// Where the Markdown form's charts go, relative to the report.
    package let chartFolder: String
    /// Reads the data again for what the evaluation does not hold: the forecasts' sections and the interval of
    /// expected breaches. Without one the report has neither.
    package let engine: Engine?

    public init(
        evaluation: Evaluation, project: LoadedProject, format: ReportFormat, chartFolder: String = "charts",
        engine: Engine? = nil
    ) {
        self.evaluation = evaluation
        self.project = project
        self.format = format
        self.chartFolder = chartFolder
        self.engine = engine
    }

    public static let defaultTitle = "SEND performance report"

    public func build() throws -> ReportContent {
        let settings = project.config.report
        let overall = evaluation.currentResults.filter(\.group.isEmpty)
        let kpis = KPISectionBuilder(
            evaluation: evaluation, project: project, format: format, chartFolder: chartFolder, engine: engine)
        return ReportContent(
            title: format.text(settings.title ?? Self.defaultTitle),
            asOf: evaluation.asOf.iso,
            logo: try settings.logo.map(ReportSettings.logoDataURL),
            summary: summary(overall),
            areas: areas().map { area in
                ReportArea(id: area.id, title: format.text(area.title), kpis: area.rules.compactMap(kpis.section))
            },
            benchmarks: BenchmarkComparisonBuilder(
                benchmarks: project.compiled.benchmarks, format: format, chartFolder: chartFolder
            ).build(),
            cases: CasesAtRiskBuilder(alerts: evaluation.alerts, format: format, chartFolder: chartFolder).build(),
            forecasts: engine.map {
                ForecastSectionBuilder(
                    engine: $0, project: project, asOf: evaluation.asOf, format: format, chartFolder: chartFolder
                ).build()
            } ?? [],
            dataQuality: dataQuality(overall))
    }

    /// The rule files in the order the project lists them, each with its KPIs that this run evaluated.
    package func areas() -> [(id: String, title: String, rules: [KPIRule])] {
        let evaluated = Set(evaluation.results.map(\.id))
        var order: [String] = []
        var rules: [String: [KPIRule]] = [:]
        for rule in project.rules.kpis where evaluated.contains(rule.id) {
            if rules[rule.file] == nil { order.append(rule.file) }
            rules[rule.file, default: []].append(rule)
        }
        return order.map { file in
            let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let words = name.replacingOccurrences(of: "_", with: " ")
            return (id: "area-" + name, title: words.prefix(1).uppercased() + words.dropFirst(), rules: rules[file]!)
        }
    }

    private func summary(_ overall: [KPIResult]) -> ReportSummary {
        let states = KPIState.allCases.compactMap { state -> StateCount? in
            let count = overall.filter { $0.state == state }.count
            return count == 0 ? nil : StateCount(state: state.rawValue, word: Self.word(state), count: count)
        }
        let breached = overall.filter { $0.state == .critical || $0.state == .warning }
            .sorted { ($0.state == .critical ? 0 : 1) < ($1.state == .critical ? 0 : 1) }
        let critical = evaluation.alerts.filter { $0.severity == .critical }.count
        let cases = evaluation.alerts.filter { $0.kind == .caseAlert }.count
        let alerts =
            "\(Counted.text(evaluation.alerts.count, "alert")) (\(critical) critical), of which \(Counted.text(cases, "case alert"))"
        return ReportSummary(
            states: states, kpiCount: overall.count, evaluated: Counted.text(overall.count, "KPI") + " evaluated",
            breached: breached.map(link), alerts: alerts)
    }

    private func dataQuality(_ overall: [KPIResult]) -> DataQualitySection {
        let measures = Dictionary(
            project.rules.kpis.map { ($0.id, $0.labels["measure"]) }, uniquingKeysWith: { a, _ in a })
        let datasets = evaluation.datasets.map { dataset in
            DatasetRow(
                name: format.text(dataset.name), origin: format.text(dataset.origin), status: dataset.status.rawValue,
                rowsRead: ValueFormatter.decimal(Double(dataset.rowsRead), places: 0),
                rowsSkipped: ValueFormatter.decimal(Double(dataset.rowsSkipped), places: 0),
                errors: ValueFormatter.decimal(Double(dataset.errorCount), places: 0),
                problems: dataset.problems.map { format.text($0.description) })
        }
        return DataQualitySection(
            datasets: datasets,
            kpis: overall.filter { measures[$0.id] == "data_quality" }.map(link),
            unevaluated: overall.filter { [.noData, .stale, .error].contains($0.state) }.map(link))
    }

    package func link(_ result: KPIResult) -> KPILink {
        KPILink(
            id: result.id, title: format.text(result.title),
            value: ValueFormatter.format(result.value, unit: result.unit),
            state: result.state.rawValue, word: Self.word(result.state))
    }

    /// A state as a word: the report never relies on colour alone.
    package static func word(_ state: KPIState) -> String {
        switch state {
        case .ok: return "OK"
        case .warning: return "Warning"
        case .critical: return "Critical"
        case .noData: return "No data"
        case .suppressed: return "Suppressed (small numbers)"
        case .stale: return "Stale data"
        case .error: return "Error"
        }
    }
}
