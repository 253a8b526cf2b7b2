/// The values of a record's `group_by` fields: one group of a KPI. Null is a group of its own.
struct GroupKey: Hashable, Sendable {
    var values: [Value]
    static let overall = GroupKey(values: [])
}

/// Streams one dataset's records into one KPI's buckets: one per period and group. Memory grows
/// with periods × groups, not with rows (except median/percentile, which keep their values).
struct KPIAccumulation {
    let kpi: CompiledKPI
    let plan: PeriodPlan
    var overall: [Bucket]
    var groups: [GroupKey: [Bucket]] = [:]
    private var periodIndexes: [Int] = []
    private var arguments: [Value]

    init(kpi: CompiledKPI, plan: PeriodPlan) {
        self.kpi = kpi
        self.plan = plan
        let empty = Bucket(kpi.aggregates)
        overall = Array(repeating: empty, count: plan.periods.count)
        arguments = Array(repeating: .null, count: kpi.aggregates.count)
    }

    mutating func add(_ context: EvalContext) {
        if kpi.evaluatesPerPeriod {
            let runAsOf = context.asOf
            for index in plan.periods.indices {
                context.asOf = plan.periods[index].asOf
                addToPeriods(context, only: index)
            }
            context.asOf = runAsOf
        } else {
            addToPeriods(context, only: nil)
        }
    }

    private mutating func addToPeriods(_ context: EvalContext, only: Int?) {
        if let whereClause = kpi.whereClause, !whereClause.isTrue(context) { return }
        if let date = kpi.date {
            guard case .date(let day) = date.evaluate(context) else { return }
            if let only {
                guard plan.periods[only].contains(day) else { return }
                periodIndexes = [only]
            } else {
                plan.indexes(containing: day, into: &periodIndexes)
                if periodIndexes.isEmpty { return }
            }
        } else {
            periodIndexes = only.map { [$0] } ?? Array(plan.periods.indices)
        }
        for (position, call) in kpi.aggregates.enumerated() {
            arguments[position] = call.argument?.evaluate(context) ?? .bool(true)
        }
        for index in periodIndexes { Self.fold(&overall[index], arguments) }
        if !kpi.groupIndexes.isEmpty {
            let key = GroupKey(values: kpi.groupIndexes.map { context.row[$0] })
            if groups[key] == nil { groups[key] = Array(repeating: Bucket(kpi.aggregates), count: plan.periods.count) }
            for index in periodIndexes { Self.fold(&groups[key]![index], arguments) }
        }
    }

    private static func fold(_ bucket: inout Bucket, _ arguments: [Value]) {
        bucket.records += 1
        for position in arguments.indices { bucket.accumulators[position].add(arguments[position]) }
    }
}
