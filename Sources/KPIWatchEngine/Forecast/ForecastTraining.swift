import KPIWatchCore
import KPIWatchExpressions

extension Engine {
    /// What a rule's text holds when it asks for a forecast (a false positive only costs a read).
    static let forecastCall = ForecastFunction.breachProbability + "("

    /// Every forecast of the project, by slot, trained on its dataset's records when a selected rule over
    /// that dataset asks for one (the others stay empty: a run that uses no forecast reads no data twice).
    /// A dataset that cannot be read gives a forecast with no cases (every probability null); its own
    /// pass reports why, and the run exits 3.
    /// The forecasts the rules `only` (all when nil) ask for, by slot, for evaluating their records outside
    /// `evaluate` (`kpiwatch explain` recomputes a KPI from its records).
    package func trainedForecasts(_ project: LoadedProject, asOf: Day, only: [String]?) throws -> [any RecordForecast] {
        trainForecasts(project, asOf: asOf, for: try Selection(project.compiled, only: only))
    }

    func trainForecasts(_ project: LoadedProject, asOf: Day, for selection: Selection) -> [any RecordForecast] {
        let compiled = project.compiled
        var asking: Set<String> = []
        for kpi in compiled.kpis where selection.kpis.contains(kpi.slot) {
            let texts = [kpi.rule.value.text, kpi.rule.whereClause?.text, kpi.rule.date?.text]
            if let dataset = kpi.dataset, texts.contains(where: { $0?.contains(Self.forecastCall) == true }) {
                asking.insert(dataset)
            }
        }
        for alert in compiled.caseAlerts where selection.caseAlerts.contains(alert.rule.id) {
            let texts =
                [alert.rule.whereClause.text, alert.rule.key.text, alert.rule.message?.text]
                + alert.rule.labels.values.map(\.text)
            if texts.contains(where: { $0?.contains(Self.forecastCall) == true }) {
                asking.insert(alert.rule.dataset.name)
            }
        }
        var rowsByDataset: [String: [[Value]]] = [:]
        return compiled.forecasts.map { forecast in
            let name = forecast.rule.dataset.name
            guard asking.contains(name) else { return ForecastModel(forecast: forecast, rows: [], asOf: asOf) }
            if rowsByDataset[name] == nil {
                rowsByDataset[name] = (try? readRows(of: name, in: project)) ?? []
            }
            return ForecastModel(forecast: forecast, rows: rowsByDataset[name]!, asOf: asOf)
        }
    }

    /// Every record of a dataset, typed; throws when it cannot be read or has bad values it may not skip.
    package func readRows(of name: String, in project: LoadedProject) throws -> [[Value]] {
        guard let dataset = project.config.datasets.first(where: { $0.name == name }) else { return [] }
        let reader = DatasetReader(dataset: dataset, source: try sources.makeSource(for: dataset, in: project.config))
        var rows: [[Value]] = []
        let summary = try reader.read { row, _ in rows.append(row) }
        if dataset.onBadRows == .fail && summary.errorCount > 0 {
            throw Diagnostic(
                "dataset '\(name)' has \(summary.errorCount) bad values: "
                    + summary.errors.map(\.description).prefix(3).joined(separator: "; "),
                at: dataset.location)
        }
        return rows
    }
}
