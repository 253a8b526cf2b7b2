import Foundation
import KPIWatchCore
import KPIWatchExpressions

/// Gives every computed period of a KPI a state from its thresholds, and raises alerts for the
/// current period (RULES.md §2 "Thresholds", "Semantics pinned down").
package struct KPIAssessment {
    package let kpi: CompiledKPI
    package let series: KPISeries
    package let benchmarks: [String: Benchmark]
    package let asOf: Day
    package let history: any RunHistory

    package func assess() -> (results: [KPIResult], alerts: [Alert]) {
        var results: [KPIResult] = []
        var alerts: [Alert] = []
        var keys: [GroupKey] = [.overall]
        keys += series.groups.keys.sorted { Self.less($0.values, $1.values) }
        for key in keys {
            let values = key == .overall ? series.overall : series.groups[key]!
            let counts = key == .overall ? series.overallCounts : series.groupCounts[key]!
            let group = zip(kpi.groupFields, key.values).map { GroupField(name: $0, value: $1) }
            var states: [(KPIState, String?)] = []
            for index in series.plan.periods.indices {
                states.append(state(at: index, values: values, counts: counts, group: group))
            }
            let last = series.plan.periods.count - 1
            for index in series.plan.hiddenCount...last {
                results.append(
                    KPIResult(
                        id: kpi.rule.id, title: kpi.rule.title, unit: kpi.rule.unit,
                        period: series.plan.periods[index].label, current: index == last, group: group,
                        value: values[index], previous: index > 0 ? values[index - 1] : nil, count: counts[index],
                        state: states[index].0, threshold: states[index].1,
                        periodStart: shownStart(series.plan.periods[index]), periodEnd: series.plan.periods[index].end))
            }
            let context = thresholdContext(index: last, values: values, counts: counts, group: group)
            if let alert = alert(for: results[results.count - 1], states: states, group: group, context: context) {
                alerts.append(alert)
            }
        }
        return (results, alerts)
    }

    /// Snapshots and `all` count every record up to their date: a snapshot is shown as its own day, `all` with no
    /// first day at all.
    private func shownStart(_ period: Period) -> Day? {
        switch series.plan.kind {
        case .snapshot: return period.end
        case .all: return nil
        default: return period.start
        }
    }

    private func state(at index: Int, values: [Double?], counts: [Int?], group: [GroupField]) -> (KPIState, String?) {
        if let blocked = series.blocked { return (blocked, nil) }
        guard let value = values[index] else { return (.noData, nil) }
        if let minimum = kpi.rule.minCount, let count = counts[index], count < minimum { return (.suppressed, nil) }
        let context = thresholdContext(index: index, values: values, counts: counts, group: group)
        for threshold in kpi.thresholds where threshold.condition.isTrue(context) {
            return (KPIState(threshold.severity), threshold.condition.text)
        }
        _ = value
        return (.ok, nil)
    }

    /// The slots of `ThresholdVariable`, then the group fields.
    private func thresholdContext(index: Int, values: [Double?], counts: [Int?], group: [GroupField]) -> EvalContext {
        let value = values[index]
        let previous = index > 0 ? values[index - 1] : nil
        let first = series.plan.hiddenCount
        var points: [(Double, Double)] = []
        if index >= first {
            for position in first...index {
                if let point = values[position] { points.append((series.plan.periods[position].axis, point)) }
            }
        }
        let line = Self.leastSquares(points)
        var slots: [Value] = []
        func number(_ x: Double?) -> Value { x.map(Value.number) ?? .null }
        for variable in ThresholdVariable.allCases {
            switch variable {
            case .value: slots.append(number(value))
            case .previous: slots.append(number(previous))
            case .change: slots.append(number(value.flatMap { v in previous.map { v - $0 } }))
            case .count: slots.append(counts[index].map(Value.int) ?? .null)
            case .minOfHistory: slots.append(number(points.map(\.1).min()))
            case .maxOfHistory: slots.append(number(points.map(\.1).max()))
            case .avgOfHistory:
                slots.append(number(points.isEmpty ? nil : points.map(\.1).reduce(0, +) / Double(points.count)))
            case .trend: slots.append(number(line?.slope))
            }
        }
        slots += group.map(\.value)
        let context = EvalContext(asOf: asOf, slots: slots)
        let plan = series.plan
        if let line {
            context.forecast = { day in .number(line.intercept + line.slope * plan.axis(of: day)) }
        }
        return context
    }

    /// Least-squares line through the history; needs two points.
    package static func leastSquares(_ points: [(Double, Double)]) -> (slope: Double, intercept: Double)? {
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        let meanX = points.map(\.0).reduce(0, +) / n
        let meanY = points.map(\.1).reduce(0, +) / n
        var numerator = 0.0
        var denominator = 0.0
        for (x, y) in points {
            numerator += (x - meanX) * (y - meanY)
            denominator += (x - meanX) * (x - meanX)
        }
        guard denominator > 0 else { return nil }
        let slope = numerator / denominator
        return (slope, meanY - slope * meanX)
    }

    private func alert(
        for result: KPIResult, states: [(KPIState, String?)], group: [GroupField], context: EvalContext
    ) -> Alert? {
        var severity: AlertSeverity?
        if let current = result.state.severity {
            severity = firingSeverity(current, states: states, group: group).map(AlertSeverity.init)
        } else if result.state == .noData {
            switch kpi.rule.noData {
            case .ignore: severity = nil
            case .warning: severity = .warning
            case .critical: severity = .critical
            case .unknown: severity = .unknown
            }
        }
        guard let severity else { return nil }
        var labels = kpi.rule.labels
        for (name, text) in labels {
            labels[name] = TemplateRenderer.substituteGroup(text, group: group, fields: kpi.groupFields)
        }
        return Alert(
            kind: .kpi, rule: kpi.rule.id, title: kpi.rule.title, severity: severity,
            group: result.groupDictionary, labels: labels,
            message: TemplateRenderer.kpiMessage(
                kpi, result: result, severity: severity, benchmarks: benchmarks, context: context),
            period: result.period, value: result.value, unit: kpi.rule.unit)
    }

    /// With `for: N`, the highest severity whose condition (or a worse one) held in the last N periods,
    /// or, for snapshot and `all` KPIs, in this run and the N − 1 runs before it.
    private func firingSeverity(_ current: Severity, states: [(KPIState, String?)], group: [GroupField]) -> Severity? {
        guard let needed = kpi.rule.forPeriods, needed > 1 else { return current }
        for severity in [Severity.critical, .warning] where severity <= current {
            var streak = 0
            if series.plan.kind == .snapshot || series.plan.kind == .all {
                streak = 1 + history.consecutiveRuns(kpi: kpi.rule.id, group: group, atLeast: severity, before: asOf)
            } else {
                for (state, _) in states.reversed() {
                    guard let held = state.severity, held >= severity else { break }
                    streak += 1
                }
            }
            if streak >= needed { return severity }
        }
        return nil
    }

    package static func less(_ a: [Value], _ b: [Value]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            if x.isNull { return false }
            if y.isNull { return true }
            return x.description.localizedStandardCompare(y.description) == .orderedAscending
        }
        return a.count < b.count
    }
}
