import KPIWatchCore
import KPIWatchExpressions

/// The values of a record's `group_by` fields: one group of a KPI. Null is a group of its own.
package struct GroupKey: Hashable, Sendable {
    package var values: [Value]
    package static let overall = GroupKey(values: [])
}

/// Streams one dataset's records into one KPI's buckets: one per period and group. Memory grows
/// with periods × groups, not with rows (except median/percentile, which keep their values).
///
/// This is the inner loop of every run (rows × KPIs), so the compiled expressions are taken apart
/// into plain closures once, and a record's group is looked up once, not once per period.
package struct KPIAccumulation {
    package let kpi: CompiledKPI
    package let plan: PeriodPlan
    package var overall: [Bucket]
    private var groupSlots: [GroupKey: Int] = [:]
    private var singleGroupSlots: [Value: Int] = [:]
    private var groupKeys: [GroupKey] = []
    private var groupBuckets: [[Bucket]] = []
    private var periodIndexes: [Int] = []
    private var arguments: [Value]
    private let condition: ((EvalContext) -> Bool)?
    private let dateOf: ((EvalContext) -> Value)?
    private let argumentOf: [((EvalContext) -> Value)?]
    private let groupIndexes: [Int]
    private let perPeriod: Bool
    private let emptyBuckets: [Bucket]

    package init(kpi: CompiledKPI, plan: PeriodPlan) {
        self.kpi = kpi
        self.plan = plan
        emptyBuckets = Array(repeating: Bucket(kpi.aggregates), count: plan.periods.count)
        overall = emptyBuckets
        arguments = Array(repeating: .null, count: kpi.aggregates.count)
        condition = kpi.whereClause.map { $0.isTrue }
        dateOf = kpi.date.map { $0.evaluate }
        argumentOf = kpi.aggregates.map { call in call.argument.map { $0.evaluate } }
        groupIndexes = kpi.groupIndexes
        perPeriod = kpi.evaluatesPerPeriod
    }

    /// Buckets per group, for the finalizer.
    package var groups: [GroupKey: [Bucket]] {
        Dictionary(uniqueKeysWithValues: zip(groupKeys, groupBuckets))
    }

    package mutating func add(_ context: EvalContext) {
        var slot: Int?
        if perPeriod {
            let runAsOf = context.asOf
            for index in plan.periods.indices {
                context.asOf = plan.periods[index].asOf
                addToPeriods(context, only: index, slot: &slot)
            }
            context.asOf = runAsOf
        } else {
            addToPeriods(context, only: nil, slot: &slot)
        }
    }

    /// As `add(_:)`, with `where` already decided for this record by the columnar evaluator: condition
    /// `condition` of `conditions`, at each period's as-of date for a KPI evaluated per period.
    mutating func add(_ context: EvalContext, conditions: BatchConditions, condition: Int, row: Int) {
        guard conditions.holdsAnywhere(condition, row: row) else { return }
        var slot: Int?
        if perPeriod {
            let runAsOf = context.asOf
            for index in plan.periods.indices where conditions.holds(condition, asOf: index, row: row) {
                context.asOf = plan.periods[index].asOf
                addToPeriods(context, only: index, slot: &slot, decided: true)
            }
            context.asOf = runAsOf
        } else {
            addToPeriods(context, only: nil, slot: &slot, decided: true)
        }
    }

    private mutating func addToPeriods(_ context: EvalContext, only: Int?, slot: inout Int?, decided: Bool = false) {
        if !decided, let condition, !condition(context) { return }
        if let dateOf {
            guard case .date(let day) = dateOf(context) else { return }
            if let only {
                guard plan.periods[only].contains(day) else { return }
                periodIndexes.removeAll(keepingCapacity: true)
                periodIndexes.append(only)
            } else {
                plan.indexes(containing: day, into: &periodIndexes)
                if periodIndexes.isEmpty { return }
            }
        } else {
            periodIndexes.removeAll(keepingCapacity: true)
            if let only { periodIndexes.append(only) } else { periodIndexes.append(contentsOf: plan.periods.indices) }
        }
        for position in argumentOf.indices {
            arguments[position] = argumentOf[position]?(context) ?? .bool(true)
        }
        for index in periodIndexes { Self.fold(&overall[index], arguments) }
        guard !groupIndexes.isEmpty else { return }
        let group = slot ?? groupSlot(context.row)
        slot = group
        for index in periodIndexes { Self.fold(&groupBuckets[group][index], arguments) }
    }

    /// A group's position in `groupBuckets`; a KPI grouped by one field (the usual case) needs no key array.
    private mutating func groupSlot(_ row: [Value]) -> Int {
        if groupIndexes.count == 1, let slot = singleGroupSlots[row[groupIndexes[0]]] { return slot }
        return slot(for: GroupKey(values: groupIndexes.map { row[$0] }))
    }

    /// The position of a group, made on first sight.
    private mutating func slot(for key: GroupKey) -> Int {
        if key.values.count == 1 {
            if let slot = singleGroupSlots[key.values[0]] { return slot }
            singleGroupSlots[key.values[0]] = groupKeys.count
        } else {
            if let slot = groupSlots[key] { return slot }
            groupSlots[key] = groupKeys.count
        }
        return newGroup(key)
    }

    /// The position of group `key` among the accumulation's groups, made on first use (the columnar folds place their
    /// records with it, so a group appears when its first record is folded, as row by row).
    mutating func groupSlot(for key: GroupKey) -> Int { slot(for: key) }

    /// Folds one record's aggregate arguments into period `period`, overall and into group slot `group`.
    mutating func fold(_ arguments: [Value], period: Int, group: Int?) {
        Self.fold(&overall[period], arguments)
        if let group { Self.fold(&groupBuckets[group][period], arguments) }
    }

    /// Adds `records` records of which `hits[i]` count for aggregate `i` (a count or a percent) to period `period`,
    /// overall (group nil) or of group slot `group`.
    mutating func addCounts(records: Int, hits: ArraySlice<Int>, period: Int, group: Int?) {
        guard records > 0 else { return }
        if let group {
            Self.addCounts(&groupBuckets[group][period], records, hits)
        } else {
            Self.addCounts(&overall[period], records, hits)
        }
    }

    private static func addCounts(_ bucket: inout Bucket, _ records: Int, _ hits: ArraySlice<Int>) {
        bucket.records += records
        for (position, n) in zip(bucket.accumulators.indices, hits) { bucket.accumulators[position].addHits(n) }
    }

    /// Places a bucket computed elsewhere (by a database, for a pushed-down KPI).
    package mutating func setBucket(_ bucket: Bucket, period: Int, group key: GroupKey) {
        groupBuckets[slot(for: key)][period] = bucket
    }

    private mutating func newGroup(_ key: GroupKey) -> Int {
        groupKeys.append(key)
        groupBuckets.append(emptyBuckets)
        return groupKeys.count - 1
    }

    private static func fold(_ bucket: inout Bucket, _ arguments: [Value]) {
        bucket.records += 1
        for position in arguments.indices { bucket.accumulators[position].add(arguments[position]) }
    }
}
