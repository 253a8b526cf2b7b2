import KPIWatchCore
import KPIWatchExpressions

/// Turns accumulated aggregates into KPI values, and evaluates KPIs built on other KPIs,
/// in dependency order.
package struct KPIFinalizer {
    package let rules: CompiledRules
    package let calendar: PeriodCalendar
    package var series: [Int: KPISeries] = [:]
    /// One context for every KPI: a fresh one per KPI, with a slot for every KPI, would be quadratic in their
    /// number. Each KPI sets the slots it reads (its references, the period) before it reads them.
    private let context: EvalContext

    package init(rules: CompiledRules, calendar: PeriodCalendar) {
        self.rules = rules
        self.calendar = calendar
        context = EvalContext(
            asOf: calendar.asOf,
            slots: Array(repeating: .null, count: rules.kpis.count + PeriodVariable.allCases.count))
    }

    /// The periods a KPI over a dataset is computed for: its history, and enough for its `for`.
    package static func plan(for kpi: CompiledKPI, calendar: PeriodCalendar) -> PeriodPlan {
        let rule = kpi.rule
        let needed = max(rule.history, rule.forPeriods ?? 1)
        var plan = calendar.plan(kind: rule.period ?? .all, history: needed, cumulative: rule.cumulative)
        if plan.kind != .all { plan.hiddenCount += needed - rule.history }
        return plan
    }

    package mutating func finish(_ accumulation: KPIAccumulation, asOf: Day) {
        let kpi = accumulation.kpi
        let context = self.context
        context.asOf = asOf
        var overall: [Double?] = []
        var counts: [Int?] = []
        let last = accumulation.plan.periods.count - 1
        for (index, bucket) in accumulation.overall.enumerated() {
            setPeriod(accumulation.plan, index, context)
            overall.append(value(of: kpi, bucket: bucket, back: last - index, group: .overall, context: context))
            counts.append(bucket.records)
        }
        var groups: [GroupKey: [Double?]] = [:]
        var groupCounts: [GroupKey: [Int?]] = [:]
        for (key, buckets) in accumulation.groups {
            groups[key] = buckets.enumerated().map { index, bucket in
                setPeriod(accumulation.plan, index, context)
                return bucket.records == 0
                    ? nil : value(of: kpi, bucket: bucket, back: last - index, group: key, context: context)
            }
            groupCounts[key] = buckets.map { $0.records == 0 ? nil : $0.records }
        }
        series[kpi.slot] = KPISeries(
            plan: accumulation.plan, groupFields: kpi.groupFields, overall: overall, overallCounts: counts,
            groups: groups, groupCounts: groupCounts, blocked: nil)
    }

    /// A KPI that could not be evaluated keeps its periods, with no values.
    package mutating func block(_ kpi: CompiledKPI, state: KPIState) {
        let plan = Self.plan(for: kpi, calendar: calendar)
        series[kpi.slot] = KPISeries(
            plan: plan, groupFields: kpi.groupFields, overall: Array(repeating: nil, count: plan.periods.count),
            overallCounts: Array(repeating: nil, count: plan.periods.count), groups: [:], groupCounts: [:],
            blocked: state)
    }

    /// A KPI with no dataset: arithmetic over the KPIs it references, period by period and group by group.
    package mutating func finishDerived(_ kpi: CompiledKPI, asOf: Day) {
        let referencedSeries = kpi.referenceSlots.compactMap { series[$0] }
        if let blocked = referencedSeries.compactMap(\.blocked).first {
            block(kpi, state: blocked)
            return
        }
        let timed = referencedSeries.first { !$0.isConstant } ?? referencedSeries.first
        var plan = timed?.plan ?? calendar.plan(kind: .all, history: 1, cumulative: false)
        if timed?.isConstant == true {
            plan.periods = [plan.current]
            plan.hiddenCount = 0
        }
        var keys: Set<GroupKey> = []
        if !kpi.groupFields.isEmpty {
            for other in referencedSeries where other.groupFields == kpi.groupFields {
                keys.formUnion(other.groups.keys)
            }
        }
        let context = self.context
        context.asOf = asOf
        func compute(_ index: Int, _ group: GroupKey) -> Double? {
            let back = plan.periods.count - 1 - index
            for slot in kpi.referenceSlots {
                guard let other = series[slot] else {
                    context.slots[slot] = .null
                    continue
                }
                let same = other.groupFields == kpi.groupFields
                context.slots[slot] =
                    other.value(back: back, group: group, sameGrouping: same).map(Value.number) ?? .null
            }
            context.asOf = plan.periods[index].asOf
            setPeriod(plan, index, context)
            return kpi.value.evaluate(context).double.flatMap { $0.isFinite ? $0 : nil }
        }
        let overall = plan.periods.indices.map { compute($0, .overall) }
        var groups: [GroupKey: [Double?]] = [:]
        for key in keys { groups[key] = plan.periods.indices.map { compute($0, key) } }
        series[kpi.slot] = KPISeries(
            plan: plan, groupFields: kpi.groupFields, overall: overall,
            overallCounts: Array(repeating: nil, count: plan.periods.count), groups: groups,
            groupCounts: groups.mapValues { Array(repeating: nil, count: $0.count) }, blocked: nil)
    }

    private func setPeriod(_ plan: PeriodPlan, _ index: Int, _ context: EvalContext) {
        let values = PeriodVariable.values(of: plan.periods[index], kind: plan.kind)
        for (offset, value) in values.enumerated() { context.slots[rules.kpis.count + offset] = value }
    }

    private func value(of kpi: CompiledKPI, bucket: Bucket, back: Int, group: GroupKey, context: EvalContext)
        -> Double?
    {
        context.aggregates = zip(bucket.accumulators, kpi.aggregates).map { accumulator, call in
            accumulator.result(call, records: bucket.records)
        }
        for slot in kpi.referenceSlots {
            guard let other = series[slot] else {
                context.slots[slot] = .null
                continue
            }
            let same = other.groupFields == kpi.groupFields
            context.slots[slot] =
                other.value(back: back, group: group, sameGrouping: same).map(Value.number) ?? .null
        }
        return kpi.value.evaluate(context).double.flatMap { $0.isFinite ? $0 : nil }
    }
}
