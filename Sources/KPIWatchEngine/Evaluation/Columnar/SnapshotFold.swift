import KPIWatchCore
import KPIWatchExpressions

/// Accumulates a snapshot KPI with history (`where` asked at each snapshot's day) from each record's run of as-of
/// days (`AsOfInterval`) instead of deciding the record once per snapshot: the run becomes the snapshots it covers,
/// added to a difference array per group (+1 at the first, −1 after the last), and each snapshot's figure is a
/// prefix sum when finishing. For counts and percents, whose conditions are runs too.
final class SnapshotFold {
    let position: Int
    private let condition: AsOfIntervalEvaluator?
    private let date: ColumnarEvaluator?
    /// Per aggregate: nil for `count()`, else its condition's runs.
    private let hits: [AsOfIntervalEvaluator?]
    private let groupList: Int?
    private let asOf: Day
    /// The snapshots' days, strictly increasing.
    private let days: [Int]
    private var slots = GroupSlots()
    /// Per slot (overall first), per snapshot and one past the last, records then hits per aggregate.
    private var differences: [Int]

    /// Nil when the snapshots' days are not strictly increasing (never expected: month ends, then the as-of date).
    init?(
        position: Int, plan: PeriodPlan, condition: AsOfIntervalEvaluator?, date: ColumnarEvaluator?,
        hits: [AsOfIntervalEvaluator?], groupList: Int?, asOf: Day
    ) {
        days = plan.periods.map(\.asOf.daysSinceEpoch)
        guard zip(days, days.dropFirst()).allSatisfy({ $0 < $1 }),
            plan.periods.allSatisfy({ $0.end == $0.asOf && $0.start.daysSinceEpoch <= AsOfIntervalEvaluator.earliest })
        else { return nil }
        self.position = position
        self.condition = condition
        self.date = date
        self.hits = hits
        self.groupList = groupList
        self.asOf = asOf
        differences = Array(repeating: 0, count: (days.count + 1) * (hits.count + 1))
    }

    private var stride: Int { (days.count + 1) * (hits.count + 1) }

    /// The first snapshot on or after `low` and the last on or before `high`.
    private func snapshots(_ low: Int, _ high: Int) -> (Int, Int) {
        var first = 0
        while first < days.count && days[first] < low { first += 1 }
        var last = days.count - 1
        while last >= 0 && days[last] > high { last -= 1 }
        return (first, last)
    }

    func add(_ batch: ColumnBatch, groups: GroupCoder, into accumulation: inout KPIAccumulation) {
        var (low, high) =
            condition?.evaluate(batch)
            ?? (
                Array(repeating: AsOfIntervalEvaluator.earliest, count: batch.count),
                Array(repeating: AsOfIntervalEvaluator.latest, count: batch.count)
            )
        if let date {
            // A snapshot counts records dated on or before its day.
            guard case .date(let values, let valid) = date.evaluate(batch, asOf: asOf) else {
                preconditionFailure("a date: expression evaluated to a non-date column")
            }
            for row in 0..<batch.count {
                if valid[row] {
                    low[row] = max(low[row], values[row])
                } else {
                    (low[row], high[row]) = (AsOfIntervalEvaluator.latest, AsOfIntervalEvaluator.earliest)
                }
            }
        }
        let hitRuns = hits.map { $0?.evaluate(batch) }
        let (width, stride) = (hits.count + 1, self.stride)
        // The per-row state is taken out of the class's properties for the loop (no exclusivity check per row).
        var differences: [Int] = []
        var slots = GroupSlots()
        swap(&differences, &self.differences)
        swap(&slots, &self.slots)
        defer {
            swap(&differences, &self.differences)
            swap(&slots, &self.slots)
        }
        let grouping = groupList.map { (list: $0, classes: groups.classes($0)) }
        for row in 0..<batch.count where low[row] <= high[row] {
            let (first, last) = snapshots(low[row], high[row])
            guard first <= last else { continue }
            let slot = grouping.map {
                slots.slot(row, classes: $0.classes, list: $0.list, groups, batch, &accumulation)
            }
            if let slot, (slot + 2) * stride > differences.count {
                differences += Array(repeating: 0, count: (slot + 2) * stride - differences.count)
            }
            for cell in slot.map({ [0, $0 + 1] }) ?? [0] {
                let start = cell * stride
                differences[start + first * width] += 1
                differences[start + (last + 1) * width] -= 1
                for (index, runs) in hitRuns.enumerated() {
                    guard let runs else {
                        differences[start + first * width + 1 + index] += 1
                        differences[start + (last + 1) * width + 1 + index] -= 1
                        continue
                    }
                    let (from, to) = snapshots(max(low[row], runs.low[row]), min(high[row], runs.high[row]))
                    guard from <= to else { continue }
                    differences[start + from * width + 1 + index] += 1
                    differences[start + (to + 1) * width + 1 + index] -= 1
                }
            }
        }
    }

    /// Each snapshot's records and hits: the running sums of the differences.
    func finish(into accumulation: inout KPIAccumulation) {
        let width = hits.count + 1
        for cell in 0..<(differences.count / stride) {
            var totals = [Int](repeating: 0, count: width)
            for snapshot in days.indices {
                for index in 0..<width { totals[index] += differences[cell * stride + snapshot * width + index] }
                accumulation.addCounts(
                    records: totals[0], hits: totals[1...], period: snapshot, group: cell == 0 ? nil : cell - 1)
            }
        }
        differences = Array(repeating: 0, count: stride)
    }
}
