import KPIWatchCore
import KPIWatchExpressions

/// A condition that reads `as_of` rewritten as, for each record, the one run of as-of days at which it holds
/// (open on a date: requested by it, not yet issued or closed; past 20 weeks on it). Conditions that compare `as_of`,
/// or `days_between(x, as_of)`, with something of the record, joined by `and`, and by `or` where the runs of both
/// sides reach the same way (both open to later days, or both to earlier ones): the rest (`!=`, `not` around
/// `as_of`, `as_of` inside other functions) has no single run, and `rewrite` says why.
indirect enum AsOfInterval {
    /// Holds at every as-of date or at none.
    case record(TypedRecordExpression)
    /// as_of ≥ bound.
    case from(Bound)
    /// as_of ≤ bound.
    case until(Bound)
    /// as_of = bound.
    case on(Bound)
    case and(AsOfInterval, AsOfInterval)
    /// Only built when both sides' runs are open the same way, so that their union is one run.
    case or(AsOfInterval, AsOfInterval)

    /// A day computed from the record: the sum of its terms (each a record expression of type int or date, in days)
    /// plus a constant; null when a term is.
    struct Bound {
        var terms: [(sign: Int, expression: TypedRecordExpression)]
        var constant: Int
    }

    /// Which way a condition's runs are open, for `or`.
    private enum Shape {
        case record, later, earlier, closed
    }

    /// The rewrite of `e`, or why it has none.
    static func rewrite(_ e: TypedRecordExpression) -> Result<AsOfInterval, Refusal> {
        shaped(e).map(\.0)
    }

    struct Refusal: Error {
        var reason: String
    }

    private static func shaped(_ e: TypedRecordExpression) -> Result<(AsOfInterval, Shape), Refusal> {
        if !e.usesAsOf { return .success((.record(e), .record)) }
        switch e {
        case .and(let a, let b):
            return shaped(a).flatMap { x in
                shaped(b).map { y in
                    let shape: Shape =
                        x.1 == .record ? y.1 : (y.1 == .record || x.1 == y.1 ? x.1 : .closed)
                    return (.and(x.0, y.0), shape)
                }
            }
        case .or(let a, let b):
            return shaped(a).flatMap { x in
                shaped(b).flatMap { y in
                    if x.1 == .record { return .success((.or(x.0, y.0), y.1)) }
                    if y.1 == .record || x.1 == y.1 && x.1 != .closed { return .success((.or(x.0, y.0), x.1)) }
                    return .failure(
                        Refusal(reason: "an 'or' whose sides hold over runs of as-of dates that may not meet"))
                }
            }
        case .compare(let op, let a, let b):
            guard let left = linear(a), let right = linear(b), a.type == b.type, a.type == .date || a.type == .int
            else {
                return .failure(
                    Refusal(reason: "as_of is compared in a form other than as_of or days_between(x, as_of)"))
            }
            // k·as_of + left op right  ⇔  as_of op' (right − left)·k, for k = ±1 on exactly one side.
            var (k, op) = (left.k - right.k, op)
            guard k == 1 || k == -1 else {
                return .failure(Refusal(reason: "as_of appears on both sides of a comparison"))
            }
            var terms = right.terms + left.terms.map { (-$0.sign, $0.expression) }
            if k == -1 {
                terms = terms.map { (-$0.sign, $0.expression) }
                op = flipped(op)
                k = 1
            }
            let bound = Bound(terms: terms, constant: 0)
            switch op {
            case .less: return .success((.until(Bound(terms: terms, constant: -1)), .earlier))
            case .lessOrEqual: return .success((.until(bound), .earlier))
            case .greater: return .success((.from(Bound(terms: terms, constant: 1)), .later))
            case .greaterOrEqual: return .success((.from(bound), .later))
            case .equal: return .success((.on(bound), .closed))
            default:
                return .failure(Refusal(reason: "as_of is compared with '\(op.rawValue)', which holds over two runs"))
            }
        default:
            return .failure(Refusal(reason: "as_of is read by a form other than a comparison joined by and/or"))
        }
    }

    /// `e` as k·as_of + Σ terms, for `as_of`, `days_between` of as_of and a record date, and record expressions.
    private static func linear(_ e: TypedRecordExpression) -> (
        k: Int, terms: [(sign: Int, expression: TypedRecordExpression)]
    )? {
        if !e.usesAsOf { return (0, [(1, e)]) }
        switch e {
        case .asOf: return (1, [])
        case .daysBetween(let a, let b):
            // days_between(a, b) is b − a.
            guard let x = linear(a), let y = linear(b) else { return nil }
            return (y.k - x.k, y.terms + x.terms.map { (-$0.sign, $0.expression) })
        default: return nil
        }
    }

    private static func flipped(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return op
        }
    }
}

/// An `AsOfInterval` ready to evaluate over batches: each row's run of as-of days as `low...high` (empty when
/// low > high), with the days beyond any date kept as far-off sentinels.
final class AsOfIntervalEvaluator {
    static let earliest = Int.min / 4
    static let latest = Int.max / 4

    private indirect enum Node {
        case record(ColumnarEvaluator)
        case from(BoundTerms)
        case until(BoundTerms)
        case on(BoundTerms)
        case and(Node, Node)
        case or(Node, Node)
    }

    private struct BoundTerms {
        var terms: [(sign: Int, evaluator: ColumnarEvaluator)]
        var constant: Int
    }

    private let root: Node
    private let asOf: Day

    /// Nil when a record expression in it is one the columnar evaluator does not cover.
    init?(_ interval: AsOfInterval, nodes: ColumnarNodeTable, asOf: Day) {
        func build(_ i: AsOfInterval) -> Node? {
            func bound(_ b: AsOfInterval.Bound) -> BoundTerms? {
                var terms: [(sign: Int, evaluator: ColumnarEvaluator)] = []
                for term in b.terms {
                    guard let evaluator = ColumnarEvaluator(term.expression, nodes: nodes) else { return nil }
                    terms.append((term.sign, evaluator))
                }
                return BoundTerms(terms: terms, constant: b.constant)
            }
            switch i {
            case .record(let e): return ColumnarEvaluator(e, nodes: nodes).map(Node.record)
            case .from(let b): return bound(b).map(Node.from)
            case .until(let b): return bound(b).map(Node.until)
            case .on(let b): return bound(b).map(Node.on)
            case .and(let a, let b):
                guard let x = build(a), let y = build(b) else { return nil }
                return .and(x, y)
            case .or(let a, let b):
                guard let x = build(a), let y = build(b) else { return nil }
                return .or(x, y)
            }
        }
        guard let root = build(interval) else { return nil }
        self.root = root
        self.asOf = asOf
    }

    var fields: [Int: ExprType] {
        func gather(_ node: Node) -> [Int: ExprType] {
            switch node {
            case .record(let e): return e.fields
            case .from(let b), .until(let b), .on(let b):
                return b.terms.reduce(into: [:]) { $0.merge($1.evaluator.fields) { first, _ in first } }
            case .and(let a, let b), .or(let a, let b): return gather(a).merging(gather(b)) { first, _ in first }
            }
        }
        return gather(root)
    }

    /// Each row's run of as-of days.
    func evaluate(_ batch: ColumnBatch) -> (low: [Int], high: [Int]) {
        evaluate(root, batch)
    }

    private func evaluate(_ node: Node, _ batch: ColumnBatch) -> (low: [Int], high: [Int]) {
        let n = batch.count
        switch node {
        case .record(let evaluator):
            guard case .truth(let truths) = evaluator.evaluate(batch, asOf: asOf) else {
                preconditionFailure("a condition evaluated to a non-boolean column")
            }
            // Null is false, as in `where`.
            return (
                truths.map { $0 == .true ? Self.earliest : Self.latest },
                truths.map { $0 == .true ? Self.latest : Self.earliest }
            )
        case .from(let b):
            let day = bound(b, batch)
            return (day.map { $0 ?? Self.latest }, day.map { $0 == nil ? Self.earliest : Self.latest })
        case .until(let b):
            let day = bound(b, batch)
            return (day.map { $0 == nil ? Self.latest : Self.earliest }, day.map { $0 ?? Self.earliest })
        case .on(let b):
            let day = bound(b, batch)
            return (day.map { $0 ?? Self.latest }, day.map { $0 ?? Self.earliest })
        case .and(let a, let b):
            var (low, high) = evaluate(a, batch)
            let (otherLow, otherHigh) = evaluate(b, batch)
            for row in 0..<n {
                low[row] = max(low[row], otherLow[row])
                high[row] = min(high[row], otherHigh[row])
            }
            return (low, high)
        case .or(let a, let b):
            var (low, high) = evaluate(a, batch)
            let (otherLow, otherHigh) = evaluate(b, batch)
            for row in 0..<n {
                if otherLow[row] > otherHigh[row] { continue }
                if low[row] > high[row] {
                    (low[row], high[row]) = (otherLow[row], otherHigh[row])
                } else {
                    // Both runs are open the same way (checked when rewriting), so they meet: the union is the hull.
                    (low[row], high[row]) = (min(low[row], otherLow[row]), max(high[row], otherHigh[row]))
                }
            }
            return (low, high)
        }
    }

    /// The bound's day for each row (nil when a term is null), kept within the sentinels.
    private func bound(_ b: BoundTerms, _ batch: ColumnBatch) -> [Int?] {
        var result = [Int?](repeating: b.constant, count: batch.count)
        for term in b.terms {
            let values: [Int]
            let valid: [Bool]
            switch term.evaluator.evaluate(batch, asOf: asOf) {
            case .int(let v, let ok), .date(let v, let ok): (values, valid) = (v, ok)
            default: preconditionFailure("an as-of bound evaluated to a column that is not days")
            }
            for row in 0..<batch.count {
                guard let sum = result[row] else { continue }
                guard valid[row] else {
                    result[row] = nil
                    continue
                }
                let value = values[row].clamped(to: Self.earliest...Self.latest)
                result[row] = (sum + term.sign * value).clamped(to: Self.earliest...Self.latest)
            }
        }
        return result
    }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
