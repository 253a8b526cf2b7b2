import KPIWatchCore
import KPIWatchEngine

/// One KPI's section: its current value and state in words, the change since the period before with an arrow,
/// its history chart with thresholds and benchmarks, and its groups as bars.
package struct KPISectionBuilder {
    package let format: ReportFormat
    package let benchmarks: [String: Benchmark]
    package let chartFolder: String
    /// Every computed value of each KPI, oldest first, the overall series first.
    private let results: [String: [KPIResult]]
    /// Works out the interval of an expected count from its records; nil: no interval.
    private let explainer: KPIExplainer?
    private let compiled: [String: CompiledKPI]

    /// More bars than this make a chart no one reads; the rest are counted under it and are in the CSV export.
    package static let maxGroups = 40

    package init(
        evaluation: Evaluation, project: LoadedProject, format: ReportFormat, chartFolder: String,
        engine: Engine? = nil
    ) {
        self.format = format
        explainer = engine.map { KPIExplainer(engine: $0, project: project, evaluation: evaluation) }
        compiled = Dictionary(project.compiled.kpis.map { ($0.rule.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.benchmarks = project.compiled.benchmarks
        self.chartFolder = chartFolder
        var results: [String: [KPIResult]] = [:]
        for result in evaluation.results { results[result.id, default: []].append(result) }
        self.results = results
    }

    package func section(_ rule: KPIRule) -> KPISection? {
        guard let all = results[rule.id] else { return nil }
        let series = all.filter(\.group.isEmpty)
        guard let current = series.last(where: \.current) ?? series.last else { return nil }
        let groups = all.filter { $0.current && !$0.group.isEmpty }
        let change = change(current, series: series, rule: rule)
        let trajectory = ThresholdLines.trajectory(of: rule, benchmarks: benchmarks)
        let history = historyChart(rule, series: series, trajectory: trajectory)
        return KPISection(
            id: rule.id, title: format.text(rule.title), description: format.text(rule.description),
            basis: format.text(rule.basis), period: format.text(current.period),
            value: ValueFormatter.format(current.value, unit: rule.unit), state: current.state.rawValue,
            word: ReportBuilder.word(current.state),
            count: current.count.map { Counted.text($0, "record") }, arrow: change?.arrow, change: change?.text,
            threshold: format.text(current.threshold), chart: history.chart, groupChart: groupChart(rule, groups),
            groups: groups.prefix(Self.maxGroups).map(groupRow),
            groupsNote: groupsNote(rule, groups), trajectory: history.trajectory, interval: interval(rule))
    }

    /// "90% interval 20 to 26 of the 55 cases breaching (…)" for a sum of breach probabilities; nil for any
    /// other value. A dataset that cannot be read again leaves the interval out (the data-quality section
    /// already says the dataset failed).
    private func interval(_ rule: KPIRule) -> String? {
        guard let explainer, let kpi = compiled[rule.id], KPIExplainer.sumsProbabilities(kpi),
            let expected = try? explainer.explain(rule.id).expectedCount
        else { return nil }
        return format.text(ExplanationOutput.interval(expected))
    }

    private func change(_ current: KPIResult, series: [KPIResult], rule: KPIRule) -> (arrow: String, text: String)? {
        guard let value = current.value, let previous = current.previous else { return nil }
        let delta = value - previous
        let before = series.count >= 2 ? series[series.count - 2].period : "the period before"
        let was = "from \(ValueFormatter.format(previous, unit: rule.unit)) in \(format.text(before))"
        if abs(delta) < 1e-9 { return ("▶", "no change \(was)") }
        let amount =
            rule.unit == .percent
            ? ValueFormatter.decimal(abs(delta), places: 1) + " points"
            : ValueFormatter.format(abs(delta), unit: rule.unit)
        var text = "\(delta > 0 ? "up" : "down") \(amount) \(was)"
        if let higherIsBetter = rule.higherIsBetter { text += (delta > 0) == higherIsBetter ? " (better)" : " (worse)" }
        return (delta > 0 ? "▲" : "▼", text)
    }

    private func historyChart(
        _ rule: KPIRule, series: [KPIResult], trajectory: (date: Day, level: Double)?
    ) -> (chart: ReportChart, trajectory: String?) {
        let unit = rule.unit
        let last = series.count - 1
        let points = series.enumerated().map { index, result in
            HistoryChart.Point(axis: Double(index - last), label: result.period, value: result.value)
        }
        var references = ThresholdLines.lines(for: rule, benchmarks: benchmarks)
        var projection: HistoryChart.Projection?
        var text: String?
        if let trajectory, let end = series.last?.periodEnd,
            let line = KPIAssessment.leastSquares(points.compactMap { point in point.value.map { (point.axis, $0) } })
        {
            let axis = PeriodCalendar.monthsAxis(from: end, to: trajectory.date) / Self.monthsPerPeriod(rule.period)
            projection = HistoryChart.Projection(
                slope: line.slope, intercept: line.intercept, targetAxis: axis, targetLabel: trajectory.date.iso)
            let reached = line.intercept + line.slope * axis
            references.append(
                ReferenceLine(
                    level: trajectory.level,
                    label: "Target \(ValueFormatter.format(trajectory.level, unit: unit)) by \(trajectory.date.iso)",
                    kind: .target))
            let slope = ValueFormatter.decimal(line.slope, places: 1) + (unit == .percent ? " points" : "")
            text =
                "On the trend of the last \(points.count) periods (\(slope) a period) it reaches \(ValueFormatter.format(reached, unit: unit)) by \(trajectory.date.iso), against a target of \(ValueFormatter.format(trajectory.level, unit: unit))."
        }
        let chart = HistoryChart(
            title: "\(rule.title): history", points: points, references: references, projection: projection,
            format: { ValueFormatter.format($0, unit: unit) })
        return (ReportChart(title: format.text(chart.title), svg: chart.svg(), file: file("kpi-\(rule.id)")), text)
    }

    private func groupChart(_ rule: KPIRule, _ groups: [KPIResult]) -> ReportChart? {
        let shown = groups.prefix(Self.maxGroups).filter { $0.value != nil }
        guard !shown.isEmpty else { return nil }
        let unit = rule.unit
        let bars = shown.map { result in
            BarChart.Bar(
                label: Self.groupName(result), value: result.value!,
                note:
                    "\(ValueFormatter.format(result.value, unit: unit)) \(ReportBuilder.word(result.state).lowercased())",
                className: "bar bar-\(result.state.rawValue)")
        }
        let fields = rule.groupBy.map(\.name).joined(separator: ", ")
        let references = ThresholdLines.lines(for: rule, benchmarks: benchmarks).filter { $0.kind != .benchmark }
        let chart = BarChart(
            title: "\(rule.title) by \(fields), \(groups.first?.period ?? "")", bars: bars, references: references,
            format: { ValueFormatter.format($0, unit: unit) })
        return ReportChart(title: format.text(chart.title), svg: chart.svg(), file: file("kpi-\(rule.id)-groups"))
    }

    private func groupRow(_ result: KPIResult) -> GroupRow {
        GroupRow(
            name: format.text(Self.groupName(result)), value: ValueFormatter.format(result.value, unit: result.unit),
            state: result.state.rawValue, word: ReportBuilder.word(result.state),
            count: result.count.map { ValueFormatter.decimal(Double($0), places: 0) })
    }

    private func groupsNote(_ rule: KPIRule, _ groups: [KPIResult]) -> String? {
        guard groups.count > Self.maxGroups else { return nil }
        return
            "\(groups.count - Self.maxGroups) more groups are not shown here; `kpiwatch check --format csv --only \(rule.id)` lists every one."
    }

    package static func groupName(_ result: KPIResult) -> String { result.group.map(\.text).joined(separator: ", ") }

    package static func monthsPerPeriod(_ kind: PeriodKind?) -> Double {
        switch kind {
        case .quarter: return 3
        case .year, .yearToDate: return 12
        default: return 1
        }
    }

    package func file(_ name: String) -> String { "\(chartFolder)/\(name).svg" }
}
