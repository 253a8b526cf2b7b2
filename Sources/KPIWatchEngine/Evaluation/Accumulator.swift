import KPIWatchCore
import KPIWatchExpressions

/// The running state of one aggregate in one period and group. Memory is constant per
/// aggregate except for median and percentile, which must keep their values.
package enum Accumulator: Sendable {
    case count(Int)
    case percent(hits: Int)
    case sum(total: Double)
    /// A sum of ints, checked: nil once it overflows, which makes the aggregate no value (null), not a trap.
    case intSum(Int?)
    case average(total: Double, count: Int)
    case extreme(Value, isMin: Bool)
    case values([Double])
    case distinct(Set<Value>)
    /// A value the database computed (a pushed-down aggregate): adding records changes nothing.
    case fixed(Value)

    package init(_ call: AggregateCall) {
        switch call.kind {
        case .count: self = .count(0)
        case .percent: self = .percent(hits: 0)
        case .sum: self = call.argument?.type == .int ? .intSum(0) : .sum(total: 0)
        case .avg: self = .average(total: 0, count: 0)
        case .min: self = .extreme(.null, isMin: true)
        case .max: self = .extreme(.null, isMin: false)
        case .median, .percentile: self = .values([])
        case .countDistinct: self = .distinct([])
        }
    }

    /// Folds in one record's argument value (`.bool(true)` for `count()`). Nulls are skipped, as SQL does.
    package mutating func add(_ value: Value) {
        switch self {
        case .count(let n):
            if case .bool(true) = value { self = .count(n + 1) }
        case .percent(let hits):
            if case .bool(true) = value { self = .percent(hits: hits + 1) }
        case .sum(let total):
            if let number = value.double { self = .sum(total: total + number) }
        case .intSum(let total):
            guard let total else { return }
            if case .int(let x) = value {
                let (result, overflow) = total.addingReportingOverflow(x)
                self = .intSum(overflow ? nil : result)
            } else if let number = value.double {
                // An int column read as a number: the sum carries on in the int range or gives up.
                self = .intSum(NumberMath.integer(Double(total) + number))
            }
        case .average(let total, let count):
            if let number = value.double { self = .average(total: total + number, count: count + 1) }
        case .extreme(let current, let isMin):
            guard !value.isNull else { return }
            if current.isNull || (isMin ? Self.less(value, current) : Self.less(current, value)) {
                self = .extreme(value, isMin: isMin)
            }
        case .values(var list):
            guard let number = value.double else { return }
            self = .values([])
            list.append(number)
            self = .values(list)
        case .distinct(var set):
            guard !value.isNull else { return }
            self = .distinct([])
            set.insert(value)
            self = .distinct(set)
        case .fixed:
            return
        }
    }

    /// Folds in `n` records whose condition held, at once (a count or a percent; the columnar folds add them up by
    /// period).
    mutating func addHits(_ n: Int) {
        switch self {
        case .count(let total): self = .count(total + n)
        case .percent(let hits): self = .percent(hits: hits + n)
        default: preconditionFailure("hits added to an aggregate that is not a count or a percent")
        }
    }

    /// The aggregate's value; `records` is the number of records behind it (the denominator of percent).
    package func result(_ call: AggregateCall, records: Int) -> Value {
        switch self {
        case .count(let n): return .int(n)
        case .percent(let hits): return records == 0 ? .null : .number(100 * Double(hits) / Double(records))
        case .sum(let total): return total.isFinite ? .number(total) : .null
        case .intSum(let total): return total.map(Value.int) ?? .null
        case .average(let total, let count):
            return count == 0 || !total.isFinite ? .null : .number(total / Double(count))
        case .extreme(let value, _): return value
        case .values(let list):
            if call.kind == .median { return Self.percentile(list, 50) }
            return Self.percentile(list, call.parameter ?? 50)
        case .distinct(let set): return .int(set.count)
        case .fixed(let value): return value
        }
    }

    /// Linear interpolation between closest ranks, so the median of an even count is the mean of the middle two.
    package static func percentile(_ values: [Double], _ p: Double) -> Value {
        guard !values.isEmpty else { return .null }
        let sorted = values.sorted()
        let rank = (p / 100) * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        return .number(sorted[lower] + (sorted[upper] - sorted[lower]) * fraction)
    }

    package static func less(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.date(let x), .date(let y)): return x < y
        case (.string(let x), .string(let y)): return x < y
        default:
            if let x = a.double, let y = b.double { return x < y }
            return false
        }
    }
}

/// All aggregates of one KPI in one period and group, plus the number of records behind them.
package struct Bucket: Sendable {
    package var records = 0
    package var accumulators: [Accumulator]

    package init(_ calls: [AggregateCall]) {
        accumulators = calls.map(Accumulator.init)
    }
}
