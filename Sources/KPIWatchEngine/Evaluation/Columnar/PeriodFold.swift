import KPIWatchCore
import KPIWatchExpressions

/// One aggregate's argument over a batch: none (`count()`), a condition (`count(c)`, `percent(c)`), or a value.
enum ColumnarArgument {
    case none
    case condition(ColumnarEvaluator)
    case value(ColumnarEvaluator)
}

/// Accumulates one KPI (not a snapshot with history) from column batches: `where` and the aggregates' arguments are
/// evaluated over the batch at the run's as-of date, each row's base period comes from the shared `BasePeriods` of its
/// `date:`, and its group from the shared `GroupCoder`.
///
/// When every aggregate is a count or a percent, records and hits are added up per base period and group, and each
/// period's figures are the sums over its base periods when finishing: a cumulative, year-to-date or rolling period
/// costs no more per row than a month. Other aggregates are folded record by record, in the order of the rows, into
/// every period the record's base period belongs to, so that floating-point sums, the first of equal extremes and
/// overflow are exactly the row evaluator's.
final class PeriodFold {
    /// The KPI's position in the pass's accumulations.
    let position: Int
    private let condition: ColumnarEvaluator?
    private let periods: BasePeriods?
    private let arguments: [ColumnarArgument]
    private let groupList: Int?
    private let asOf: Day
    private let counting: Bool
    private let plan: PeriodPlan
    /// Per base period, the KPI's periods it is part of (a KPI without a date: one base period, in every period).
    private var periodsOf: [[Int]] = []
    /// Per period, its base periods.
    private var ranges: [Range<Int>] = []
    private var baseCount = 1
    private var slots = GroupSlots()
    /// Counting only: per slot (overall first), per base period, records then hits per aggregate.
    private var counts: [Int] = []

    init(
        position: Int, plan: PeriodPlan, condition: ColumnarEvaluator?, periods: BasePeriods?,
        arguments: [ColumnarArgument], groupList: Int?, asOf: Day
    ) {
        self.position = position
        self.condition = condition
        self.periods = periods
        self.arguments = arguments
        self.groupList = groupList
        self.asOf = asOf
        counting = arguments.allSatisfy { if case .value = $0 { false } else { true } }
        self.plan = plan
    }

    /// Finds each period's base periods; once every KPI dated like this one has registered its periods.
    func prepare() {
        if let periods {
            ranges = plan.periods.map { periods.range(of: $0) }
            baseCount = periods.count
        } else {
            ranges = plan.periods.map { _ in 0..<1 }
            baseCount = 1
        }
        periodsOf = Array(repeating: [Int](), count: baseCount)
        for (period, range) in ranges.enumerated() {
            for base in range { periodsOf[base].append(period) }
        }
        counts = Array(repeating: 0, count: stride)
    }

    private var stride: Int { baseCount * (arguments.count + 1) }

    /// Folds every row of `batch` that satisfies `where` and falls in a period. `periods` and `groups` have placed
    /// and coded the batch.
    func add(_ batch: ColumnBatch, groups: GroupCoder, into accumulation: inout KPIAccumulation) {
        let holds: [Truth]? = condition.map { Self.truths($0.evaluate(batch, asOf: asOf)) }
        let placed = periods?.placed
        var conditions: [[Truth]?] = []
        var values: [Column?] = []
        for argument in arguments {
            switch argument {
            case .none:
                conditions.append(nil)
                values.append(nil)
            case .condition(let evaluator):
                conditions.append(Self.truths(evaluator.evaluate(batch, asOf: asOf)))
                values.append(nil)
            case .value(let evaluator):
                conditions.append(nil)
                values.append(evaluator.evaluate(batch, asOf: asOf))
            }
        }
        let width = arguments.count + 1
        var folded = [Value](repeating: .null, count: arguments.count)
        // The per-row state is taken out of the class's properties for the loop (and put back after it): each access
        // to a class property is a dynamic exclusivity check, about 7% of a national run when made per row.
        let (periodsOf, stride, counting) = (self.periodsOf, self.stride, self.counting)
        var counts: [Int] = []
        var slots = GroupSlots()
        swap(&counts, &self.counts)
        swap(&slots, &self.slots)
        defer {
            swap(&counts, &self.counts)
            swap(&slots, &self.slots)
        }
        let grouping = groupList.map { (list: $0, classes: groups.classes($0)) }
        for row in 0..<batch.count {
            if let holds, holds[row] != .true { continue }
            let base = placed.map { Int($0[row]) } ?? 0
            guard base >= 0, !periodsOf[base].isEmpty else { continue }
            let slot = grouping.map {
                slots.slot(row, classes: $0.classes, list: $0.list, groups, batch, &accumulation)
            }
            if counting {
                if let slot, (slot + 2) * stride > counts.count {
                    counts += Array(repeating: 0, count: (slot + 2) * stride - counts.count)
                }
                Self.count(row, at: base * width, conditions, into: &counts)
                if let slot { Self.count(row, at: (slot + 1) * stride + base * width, conditions, into: &counts) }
            } else {
                for index in arguments.indices {
                    if let truths = conditions[index] {
                        folded[index] = truths[row] == .unknown ? .null : .bool(truths[row] == .true)
                    } else if let column = values[index] {
                        folded[index] = column.value(at: row)
                    } else {
                        folded[index] = .bool(true)
                    }
                }
                for period in periodsOf[base] { accumulation.fold(folded, period: period, group: slot) }
            }
        }
    }

    @inline(__always)
    private static func count(_ row: Int, at start: Int, _ conditions: [[Truth]?], into counts: inout [Int]) {
        counts[start] += 1
        for (index, truths) in conditions.enumerated() where truths?[row] ?? .true == .true {
            counts[start + 1 + index] += 1
        }
    }

    /// Adds the counted records up over each period's base periods, into the accumulation.
    func finish(into accumulation: inout KPIAccumulation) {
        guard counting else { return }
        let width = arguments.count + 1
        let cells = counts.count / stride
        for cell in 0..<cells {
            let group: Int? = cell == 0 ? nil : cell - 1
            for (period, range) in ranges.enumerated() {
                var totals = [Int](repeating: 0, count: width)
                for base in range {
                    let start = cell * stride + base * width
                    for index in 0..<width { totals[index] += counts[start + index] }
                }
                accumulation.addCounts(records: totals[0], hits: totals[1...], period: period, group: group)
            }
        }
        counts = Array(repeating: 0, count: stride)
    }

    static func truths(_ column: Column) -> [Truth] {
        if case .truth(let values) = column { return values }
        preconditionFailure("a condition evaluated to a non-boolean column")
    }
}
