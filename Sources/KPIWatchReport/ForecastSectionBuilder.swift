import KPIWatchCore
import KPIWatchEngine

/// A section per forecast of the project: the breaches expected among the open cases due in the next
/// weeks, with their interval, and the workload projection drawn per measure, the baseline's median in
/// its 80% band and each declared scenario's median as a dashed line. It reads the forecast's dataset
/// again (as `kpiwatch forecast` does); a forecast that cannot be worked out says why in its section.
package struct ForecastSectionBuilder {
    package let engine: Engine
    package let project: LoadedProject
    package let asOf: Day
    package let format: ReportFormat
    package let chartFolder: String

    package func build() -> [ForecastSection] {
        project.compiled.forecasts.map { section($0.rule) }
    }

    private func section(_ rule: ForecastRule) -> ForecastSection {
        let runs = rule.workload?.runs ?? WorkloadRule.defaultRuns
        var section = ForecastSection(
            id: "forecast-\(rule.id)", title: format.text(rule.title), description: format.text(rule.description),
            dueSoon: nil, scenarios: [], charts: [], columns: [], months: [],
            note: format.text(
                "Shaded: the middle 80% of \(runs) simulations (10th to 90th percentile); the solid line is their median. "
                    + "Dashed lines: each scenario's median. kpiwatch forecast \(rule.id) --workload prints the figures; "
                    + "docs/forecasts.md says how they are made and how well they did on the service's own history."),
            problem: nil)
        let outlook: ForecastOutlook
        do {
            outlook = try ForecastRun(engine: engine, project: project, id: rule.id).outlook(asOf: asOf)
        } catch {
            section.problem = format.text("This forecast could not be worked out: \(error)")
            return section
        }
        var due = outlook.dueSoon.summary
        while due.last == "\n" { due.removeLast() }
        section.dueSoon = format.text(due)
        section.scenarios = outlook.projections.dropFirst().map { format.text(Self.describe($0.scenario)) }
        let labels = outlook.months.map { String($0.iso.prefix(7)) }
        let baseline = outlook.projections[0].rows
        section.charts = WorkloadMeasure.allCases.map { measure in
            chart(measure, rule: rule, labels: labels, outlook: outlook)
        }
        section.columns = WorkloadMeasure.allCases.map {
            format.text(Self.heading($0, deadlineDays: rule.deadlineDays))
        }
        section.months = outlook.months.enumerated().map { index, month in
            ForecastMonthRow(
                month: labels[index],
                cells: WorkloadMeasure.allCases.map { measure in
                    guard let band = baseline.first(where: { $0.month == month && $0.measure == measure })?.band,
                        band.p50.isFinite
                    else { return "–" }
                    let text = { (value: Double) in Self.figure(value, measure) }
                    return format.text("\(text(band.p50)) (\(text(band.p10))–\(text(band.p90)))")
                })
        }
        return section
    }

    private func chart(_ measure: WorkloadMeasure, rule: ForecastRule, labels: [String], outlook: ForecastOutlook)
        -> ReportChart
    {
        func series(_ rows: [WorkloadModel.Row], _ pick: (Band) -> Double) -> [Double] {
            outlook.months.map { month in
                rows.first { $0.month == month && $0.measure == measure }.map { pick($0.band) } ?? .nan
            }
        }
        let baseline = outlook.projections[0].rows
        let chart = WorkloadChart(
            title: "\(rule.title): \(Self.heading(measure, deadlineDays: rule.deadlineDays)), projected",
            months: labels, low: series(baseline, \.p10),
            baseline: WorkloadChart.Line(name: "baseline", values: series(baseline, \.p50)),
            high: series(baseline, \.p90),
            scenarios: outlook.projections.dropFirst().map {
                WorkloadChart.Line(name: $0.scenario.name, values: series($0.rows, \.p50))
            },
            format: { Self.figure($0, measure) })
        return ReportChart(
            title: format.text(chart.title), svg: chart.svg(),
            file: "\(chartFolder)/forecast-\(rule.id)-\(measure.rawValue).svg")
    }

    package static func heading(_ measure: WorkloadMeasure, deadlineDays: Int) -> String {
        switch measure {
        case .requests: return "requests a month"
        case .openAssessments: return "open at the month's end"
        case .plansIssued: return "plans issued a month"
        case .timeliness: return "issued within \(deadlineDays) days"
        }
    }

    static func figure(_ value: Double, _ measure: WorkloadMeasure) -> String {
        measure == .timeliness
            ? ValueFormatter.format(value, unit: .percent) : ValueFormatter.decimal(value, places: 0)
    }

    /// 10 for 10.000000000000009 (1.1 read back as a percent), 0.5 as 0.5.
    static func amount(_ value: Double) -> String {
        ValueFormatter.decimal(value, places: abs(value - value.rounded()) < 1e-6 ? 0 : 1)
    }

    /// "two_more_officers: +2 assessment FTE from 2027-01".
    static func describe(_ scenario: WorkloadScenario) -> String {
        var changes: [String] = []
        if scenario.requestFactor != 1 {
            let percent = (scenario.requestFactor - 1) * 100
            changes.append("requests \(percent >= 0 ? "+" : "−")\(amount(abs(percent)))%")
        }
        for change in scenario.staffChanges {
            changes.append(
                "\(change.fte >= 0 ? "+" : "−")\(amount(abs(change.fte))) assessment FTE"
                    + (change.from.map { " from \($0.iso.prefix(7))" } ?? ""))
        }
        return "\(scenario.name): " + (changes.isEmpty ? "as the baseline" : changes.joined(separator: ", "))
    }
}
