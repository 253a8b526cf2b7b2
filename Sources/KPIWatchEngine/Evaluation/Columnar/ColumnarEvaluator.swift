import KPIWatchCore
import KPIWatchExpressions

/// Evaluates a `TypedRecordExpression` over a `ColumnBatch`: one tight loop per operator over plain arrays,
/// instead of a closure call and a `Value` per operator per row. The results are exactly the row-at-a-time
/// evaluator's (the differential test holds the two together): comparisons with null are false, `and`/`or`/`not`
/// follow SQL's three-valued logic, int arithmetic that overflows is null, `/` by zero is null, strings compare by
/// their UTF-8 bytes. String functions and comparisons with constants run once per distinct string (dictionary
/// code), not once per row. One evaluator serves one dataset pass: it keeps those per-code results.
final class ColumnarEvaluator {
    private let root: ColumnarNode
    let type: ExprType
    let fields: [Int: ExprType]

    /// `nodes` is shared by every evaluator of a dataset pass, so that a subexpression common to several KPIs and
    /// case alerts (the same `where`, the same `lower(trim(exception))`) is one node, evaluated once per batch.
    init?(_ expression: TypedRecordExpression, nodes: ColumnarNodeTable = ColumnarNodeTable()) {
        guard let root = nodes.node(for: expression) else { return nil }
        self.root = root
        type = expression.type
        fields = expression.fields
    }

    func evaluate(_ batch: ColumnBatch, asOf: Day) -> Column {
        root.evaluate(batch, asOf: asOf.daysSinceEpoch)
    }
}

/// The nodes of a dataset pass's columnar evaluators, hash-consed: structurally equal subexpressions share one node,
/// which keeps its last result (per batch, and per as-of date when it reads `as_of`), so each is computed once per
/// batch however many KPIs and case alerts use it.
final class ColumnarNodeTable {
    private var nodes: [TypedRecordExpression: ColumnarNode] = [:]
    /// Subexpressions the columnar evaluator does not cover.
    private var uncovered: Set<TypedRecordExpression> = []

    fileprivate func node(for e: TypedRecordExpression) -> ColumnarNode? {
        if let known = nodes[e] { return known }
        if uncovered.contains(e) { return nil }
        guard let compiled = compile(e) else {
            uncovered.insert(e)
            return nil
        }
        let node = MemoNode(compiled, usesAsOf: e.usesAsOf)
        nodes[e] = node
        return node
    }

    private func compile(_ e: TypedRecordExpression) -> ColumnarNode? {
        switch e {
        case .field(let index, let type): return type == .null ? nil : FieldNode(index: index)
        case .asOf: return AsOfNode()
        case .constant(let value, let type): return type == .null ? nil : ConstantNode(value: value, type: type)
        case .not(let a): return node(for: a).map(NotNode.init)
        case .and(let a, let b): return pair(a, b) { LogicNode(isAnd: true, a: $0, b: $1) }
        case .or(let a, let b): return pair(a, b) { LogicNode(isAnd: false, a: $0, b: $1) }
        case .isNull(let a, let negated): return node(for: a).map { IsNullNode(operand: $0, negated: negated) }
        case .compare(let op, let a, let b):
            let constant = if case .constant = b { true } else { false }
            return pair(a, b) { CompareNode(op: op, a: $0, b: $1, bIsConstant: constant) }
        case .inList(let a, let items, let negated):
            return node(for: a).map { InListNode(operand: $0, items: items, negated: negated) }
        case .arithmetic(let op, let a, let b, let type):
            return pair(a, b) { ArithmeticNode(op: op, isInt: type == .int, a: $0, b: $1) }
        case .negate(let a, _): return node(for: a).map(NegateNode.init)
        case .daysBetween(let a, let b): return pair(a, b) { DaysBetweenNode(weeks: false, a: $0, b: $1) }
        case .weeksBetween(let a, let b): return pair(a, b) { DaysBetweenNode(weeks: true, a: $0, b: $1) }
        case .addDays(let a, let b, let days): return pair(a, b) { MoveDateNode(unit: .days(days), a: $0, b: $1) }
        case .addMonths(let a, let b): return pair(a, b) { MoveDateNode(unit: .months, a: $0, b: $1) }
        case .lower(let a): return node(for: a).map { StringFunctionNode(function: { $0.lowercased() }, operand: $0) }
        case .upper(let a): return node(for: a).map { StringFunctionNode(function: { $0.uppercased() }, operand: $0) }
        case .trim(let a): return node(for: a).map { StringFunctionNode(function: TypeChecker.trimmed, operand: $0) }
        case .coalesce(let items, let type):
            let nodes = items.compactMap { node(for: $0) }
            return nodes.count == items.count && type != .null ? CoalesceNode(items: nodes, type: type) : nil
        case .function: return nil  // the row evaluator computes these functions
        }
    }

    private func pair(
        _ a: TypedRecordExpression, _ b: TypedRecordExpression, _ make: (ColumnarNode, ColumnarNode) -> ColumnarNode
    ) -> ColumnarNode? {
        guard let left = node(for: a), let right = node(for: b) else { return nil }
        return make(left, right)
    }
}

private protocol ColumnarNode: AnyObject {
    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column
}

/// A node's last result, kept for the batch it was computed on (and the as-of date, when the node reads it).
private final class MemoNode: ColumnarNode {
    let inner: ColumnarNode
    let usesAsOf: Bool
    private var generation = -1
    private var asOf = 0
    private var result: Column?

    init(_ inner: ColumnarNode, usesAsOf: Bool) {
        self.inner = inner
        self.usesAsOf = usesAsOf
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        if let result, generation == batch.generation, !usesAsOf || self.asOf == asOf { return result }
        let computed = inner.evaluate(batch, asOf: asOf)
        (result, generation, self.asOf) = (computed, batch.generation, asOf)
        return computed
    }
}

private final class FieldNode: ColumnarNode {
    let index: Int
    init(index: Int) { self.index = index }
    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column { batch.columns[index]! }
}

private final class AsOfNode: ColumnarNode {
    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        .date(Array(repeating: asOf, count: batch.count), valid: Array(repeating: true, count: batch.count))
    }
}

private final class ConstantNode: ColumnarNode {
    let value: Value
    let type: ExprType
    /// A constant string is the one entry of a dictionary of its own.
    let dictionary = StringDictionary()

    init(value: Value, type: ExprType) {
        self.value = value
        self.type = type
        if case .string(let text) = value { _ = dictionary.code(of: text) }
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        let n = batch.count
        let valid = Array(repeating: !value.isNull, count: n)
        switch (type, value) {
        case (.bool, .bool(let x)): return .truth(Array(repeating: x ? .true : .false, count: n))
        case (.bool, _): return .truth(Array(repeating: .unknown, count: n))
        case (.int, .int(let x)): return .int(Array(repeating: x, count: n), valid: valid)
        case (.int, _): return .int(Array(repeating: 0, count: n), valid: valid)
        case (.number, _): return .number(Array(repeating: value.double ?? 0, count: n), valid: valid)
        case (.date, .date(let day)): return .date(Array(repeating: day.daysSinceEpoch, count: n), valid: valid)
        case (.date, _): return .date(Array(repeating: 0, count: n), valid: valid)
        case (.string, .string): return .string(Array(repeating: 0, count: n), dictionary)
        default: return .string(Array(repeating: -1, count: n), dictionary)
        }
    }
}

private func truths(_ column: Column) -> [Truth] {
    if case .truth(let values) = column { return values }
    preconditionFailure("a condition evaluated to a non-boolean column")
}

private final class NotNode: ColumnarNode {
    let operand: ColumnarNode
    init(_ operand: ColumnarNode) { self.operand = operand }
    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        .truth(
            truths(operand.evaluate(batch, asOf: asOf)).map {
                $0 == .unknown ? .unknown : ($0 == .true ? .false : .true)
            })
    }
}

private final class LogicNode: ColumnarNode {
    let isAnd: Bool
    let a: ColumnarNode
    let b: ColumnarNode
    init(isAnd: Bool, a: ColumnarNode, b: ColumnarNode) {
        self.isAnd = isAnd
        self.a = a
        self.b = b
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        let x = truths(a.evaluate(batch, asOf: asOf))
        let y = truths(b.evaluate(batch, asOf: asOf))
        // The decisive value (false for and, true for or) wins over unknown, as in SQL.
        let decisive: Truth = isAnd ? .false : .true
        let other: Truth = isAnd ? .true : .false
        var result = [Truth](repeating: .unknown, count: batch.count)
        for row in 0..<batch.count {
            if x[row] == decisive || y[row] == decisive {
                result[row] = decisive
            } else if x[row] == other && y[row] == other {
                result[row] = other
            }
        }
        return .truth(result)
    }
}

private final class IsNullNode: ColumnarNode {
    let operand: ColumnarNode
    let negated: Bool
    init(operand: ColumnarNode, negated: Bool) {
        self.operand = operand
        self.negated = negated
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        let isNull: [Bool]
        switch operand.evaluate(batch, asOf: asOf) {
        case .truth(let values): isNull = values.map { $0 == .unknown }
        case .int(_, let valid), .number(_, let valid), .date(_, let valid): isNull = valid.map { !$0 }
        case .string(let codes, _): isNull = codes.map { $0 < 0 }
        }
        return .truth(isNull.map { $0 != negated ? .true : .false })
    }
}

/// -1, 0, 1, or nil when a side is null or NaN, as `ValueOperations.order`.
private enum Ordering {
    static func of<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }

    static func strings(_ x: String, _ y: String) -> Int {
        if x.utf8.elementsEqual(y.utf8) { return 0 }
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
    }

    /// Whether `op` holds for an order; nil (a null or NaN side) makes every comparison false.
    @inline(__always)
    static func holds(_ op: BinaryOperator, _ order: Int?) -> Truth {
        guard let order else { return .false }
        let result: Bool
        switch op {
        case .equal: result = order == 0
        case .notEqual: result = order != 0
        case .less: result = order < 0
        case .lessOrEqual: result = order <= 0
        case .greater: result = order > 0
        default: result = order >= 0
        }
        return result ? .true : .false
    }
}

/// Numbers of an int or number column as doubles, for mixed arithmetic and comparisons.
private func doubles(_ column: Column) -> ([Double], [Bool])? {
    switch column {
    case .int(let values, let valid): return (values.map(Double.init), valid)
    case .number(let values, let valid): return (values, valid)
    default: return nil
    }
}

private final class CompareNode: ColumnarNode {
    let op: BinaryOperator
    let a: ColumnarNode
    let b: ColumnarNode
    /// For a string compared with a constant: the order of each code of the left dictionary (nil: not yet known).
    private var orderByCode: [Int8?] = []
    private weak var orderDictionary: StringDictionary?

    /// Whether `b` is a constant (a string compared with a constant is decided once per distinct string).
    let bIsConstant: Bool

    init(op: BinaryOperator, a: ColumnarNode, b: ColumnarNode, bIsConstant: Bool) {
        self.op = op
        self.a = a
        self.b = b
        self.bIsConstant = bIsConstant
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        let n = batch.count
        var result = [Truth](repeating: .false, count: n)
        switch (a.evaluate(batch, asOf: asOf), b.evaluate(batch, asOf: asOf)) {
        case (.int(let x, let xv), .int(let y, let yv)), (.date(let x, let xv), .date(let y, let yv)):
            for row in 0..<n where xv[row] && yv[row] { result[row] = Ordering.holds(op, Ordering.of(x[row], y[row])) }
        case (.truth(let x), .truth(let y)):
            for row in 0..<n where x[row] != .unknown && y[row] != .unknown {
                result[row] = Ordering.holds(op, Ordering.of(x[row].rawValue, y[row].rawValue))
            }
        case (.string(let x, let xd), .string(let y, let yd)):
            if yd.entries.count == 1, bIsConstant {
                let constant = yd.entries[0]
                if orderDictionary !== xd {
                    orderDictionary = xd
                    orderByCode = []
                }
                // The cache out of the class's property for the loop: no exclusivity check per row.
                var orders: [Int8?] = []
                swap(&orders, &orderByCode)
                for row in 0..<n where x[row] >= 0 && y[row] >= 0 {
                    result[row] = Ordering.holds(op, Self.order(code: x[row], in: xd, against: constant, &orders))
                }
                swap(&orders, &orderByCode)
            } else {
                for row in 0..<n where x[row] >= 0 && y[row] >= 0 {
                    let order =
                        xd === yd && x[row] == y[row]
                        ? 0 : Ordering.strings(xd.entries[Int(x[row])], yd.entries[Int(y[row])])
                    result[row] = Ordering.holds(op, order)
                }
            }
        case (let left, let right):
            guard let (x, xv) = doubles(left), let (y, yv) = doubles(right) else {
                preconditionFailure("comparison of columns the type checker does not allow")
            }
            for row in 0..<n where xv[row] && yv[row] && !x[row].isNaN && !y[row].isNaN {
                result[row] = Ordering.holds(op, Ordering.of(x[row], y[row]))
            }
        }
        return .truth(result)
    }

    private static func order(
        code: Int32, in dictionary: StringDictionary, against constant: String, _ orderByCode: inout [Int8?]
    ) -> Int {
        let index = Int(code)
        if index >= orderByCode.count { orderByCode += Array(repeating: nil, count: index + 1 - orderByCode.count) }
        if let known = orderByCode[index] { return Int(known) }
        let order = Ordering.strings(dictionary.entries[index], constant)
        orderByCode[index] = Int8(order)
        return order
    }
}

private final class InListNode: ColumnarNode {
    let operand: ColumnarNode
    let items: [Value]
    let negated: Bool
    /// For strings: whether each code of the operand's dictionary is in the list (nil: not yet known).
    private var memberByCode: [Bool?] = []
    private weak var memberDictionary: StringDictionary?

    init(operand: ColumnarNode, items: [Value], negated: Bool) {
        self.operand = operand
        self.items = items
        self.negated = negated
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        let n = batch.count
        var result = [Truth](repeating: .false, count: n)
        let hit: Truth = negated ? .false : .true
        let miss: Truth = negated ? .true : .false
        switch operand.evaluate(batch, asOf: asOf) {
        case .string(let codes, let dictionary):
            if memberDictionary !== dictionary {
                memberDictionary = dictionary
                memberByCode = []
            }
            // The cache out of the class's property for the loop: no exclusivity check per row.
            var members: [Bool?] = []
            swap(&members, &memberByCode)
            for row in 0..<n where codes[row] >= 0 {
                result[row] = member(codes[row], dictionary, &members) ? hit : miss
            }
            swap(&members, &memberByCode)
        case let column:
            // Few items and rarely used with anything but strings: the row evaluator's own comparison.
            for row in 0..<n {
                let x = column.value(at: row)
                if x.isNull { continue }
                result[row] = items.contains { ValueOperations.order(x, $0) == 0 } ? hit : miss
            }
        }
        return .truth(result)
    }

    private func member(_ code: Int32, _ dictionary: StringDictionary, _ memberByCode: inout [Bool?]) -> Bool {
        let index = Int(code)
        if index >= memberByCode.count { memberByCode += Array(repeating: nil, count: index + 1 - memberByCode.count) }
        if let known = memberByCode[index] { return known }
        let text = Value.string(dictionary.entries[index])
        let found = items.contains { ValueOperations.order(text, $0) == 0 }
        memberByCode[index] = found
        return found
    }
}

private final class ArithmeticNode: ColumnarNode {
    let op: BinaryOperator
    let isInt: Bool
    let a: ColumnarNode
    let b: ColumnarNode
    init(op: BinaryOperator, isInt: Bool, a: ColumnarNode, b: ColumnarNode) {
        self.op = op
        self.isInt = isInt
        self.a = a
        self.b = b
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        let n = batch.count
        let left = a.evaluate(batch, asOf: asOf)
        let right = b.evaluate(batch, asOf: asOf)
        var valid = [Bool](repeating: false, count: n)
        if isInt, op != .divide, case .int(let x, let xv) = left, case .int(let y, let yv) = right {
            var values = [Int](repeating: 0, count: n)
            for row in 0..<n where xv[row] && yv[row] {
                let (value, overflow): (Int, Bool)
                switch op {
                case .add: (value, overflow) = x[row].addingReportingOverflow(y[row])
                case .subtract: (value, overflow) = x[row].subtractingReportingOverflow(y[row])
                default: (value, overflow) = x[row].multipliedReportingOverflow(by: y[row])
                }
                if !overflow { (values[row], valid[row]) = (value, true) }
            }
            return .int(values, valid: valid)
        }
        guard let (x, xv) = doubles(left), let (y, yv) = doubles(right) else {
            preconditionFailure("arithmetic on columns the type checker does not allow")
        }
        var values = [Double](repeating: 0, count: n)
        for row in 0..<n where xv[row] && yv[row] {
            switch op {
            case .add: (values[row], valid[row]) = (x[row] + y[row], true)
            case .subtract: (values[row], valid[row]) = (x[row] - y[row], true)
            case .multiply: (values[row], valid[row]) = (x[row] * y[row], true)
            default: if y[row] != 0 { (values[row], valid[row]) = (x[row] / y[row], true) }
            }
        }
        return .number(values, valid: valid)
    }
}

private final class NegateNode: ColumnarNode {
    let operand: ColumnarNode
    init(_ operand: ColumnarNode) { self.operand = operand }
    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        switch operand.evaluate(batch, asOf: asOf) {
        case .int(let values, let valid):
            var result = valid
            let negated = values.enumerated().map { row, x -> Int in
                let (value, overflow) = Int(0).subtractingReportingOverflow(x)
                if overflow { result[row] = false }
                return value
            }
            return .int(negated, valid: result)
        case .number(let values, let valid): return .number(values.map { -$0 }, valid: valid)
        default: preconditionFailure("negation of a column the type checker does not allow")
        }
    }
}

private func dates(_ column: Column) -> ([Int], [Bool]) {
    if case .date(let values, let valid) = column { return (values, valid) }
    preconditionFailure("a date function evaluated a non-date column")
}

private final class DaysBetweenNode: ColumnarNode {
    let weeks: Bool
    let a: ColumnarNode
    let b: ColumnarNode
    init(weeks: Bool, a: ColumnarNode, b: ColumnarNode) {
        self.weeks = weeks
        self.a = a
        self.b = b
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        let (x, xv) = dates(a.evaluate(batch, asOf: asOf))
        let (y, yv) = dates(b.evaluate(batch, asOf: asOf))
        var values = [Int](repeating: 0, count: batch.count)
        var valid = [Bool](repeating: false, count: batch.count)
        for row in 0..<batch.count where xv[row] && yv[row] {
            (values[row], valid[row]) = (weeks ? (y[row] - x[row]) / 7 : y[row] - x[row], true)
        }
        return .int(values, valid: valid)
    }
}

private final class MoveDateNode: ColumnarNode {
    enum Unit {
        case days(Int)
        case months
    }

    let unit: Unit
    let a: ColumnarNode
    let b: ColumnarNode
    init(unit: Unit, a: ColumnarNode, b: ColumnarNode) {
        self.unit = unit
        self.a = a
        self.b = b
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        let (x, xv) = dates(a.evaluate(batch, asOf: asOf))
        guard case .int(let counts, let cv) = b.evaluate(batch, asOf: asOf) else {
            preconditionFailure("a date moved by a non-int column")
        }
        // The row evaluator's limits: a date more than 100 million days away is null.
        let limit: UInt = 100_000_000
        var values = [Int](repeating: 0, count: batch.count)
        var valid = [Bool](repeating: false, count: batch.count)
        for row in 0..<batch.count where xv[row] && cv[row] {
            let n = counts[row]
            switch unit {
            case .months:
                guard n.magnitude <= limit / 30 else { continue }
                values[row] = Day(daysSinceEpoch: x[row]).adding(months: n).daysSinceEpoch
            case .days(let days):
                guard n.magnitude <= limit / UInt(days) else { continue }
                values[row] = x[row] + n * days
            }
            valid[row] = true
        }
        return .date(values, valid: valid)
    }
}

private final class StringFunctionNode: ColumnarNode {
    let function: @Sendable (String) -> String
    let operand: ColumnarNode
    /// Results live in a dictionary of their own; `outputByCode` maps each input code to its result's code.
    let output = StringDictionary()
    private var outputByCode: [Int32] = []
    private weak var inputDictionary: StringDictionary?

    init(function: @escaping @Sendable (String) -> String, operand: ColumnarNode) {
        self.function = function
        self.operand = operand
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        guard case .string(let codes, let dictionary) = operand.evaluate(batch, asOf: asOf) else {
            preconditionFailure("a string function evaluated a non-string column")
        }
        if inputDictionary !== dictionary {
            inputDictionary = dictionary
            outputByCode = []
        }
        if outputByCode.count < dictionary.entries.count {
            for index in outputByCode.count..<dictionary.entries.count {
                outputByCode.append(output.code(of: function(dictionary.entries[index])))
            }
        }
        let outputByCode = self.outputByCode
        return .string(codes.map { $0 < 0 ? -1 : outputByCode[Int($0)] }, output)
    }
}

private final class CoalesceNode: ColumnarNode {
    let items: [ColumnarNode]
    let type: ExprType
    /// Strings from several dictionaries are re-coded into this one.
    let output = StringDictionary()

    init(items: [ColumnarNode], type: ExprType) {
        self.items = items
        self.type = type
    }

    func evaluate(_ batch: ColumnBatch, asOf: Int) -> Column {
        let columns = items.map { $0.evaluate(batch, asOf: asOf) }
        var chosen = [Value](repeating: .null, count: batch.count)
        for row in 0..<batch.count {
            for column in columns {
                let value = column.value(at: row)
                if !value.isNull {
                    chosen[row] = value
                    break
                }
            }
        }
        return ColumnarValues.column(chosen, type: type, strings: output)
    }
}

/// Values back into a column of a static type (ints widened to numbers where the type is number).
enum ColumnarValues {
    static func column(_ values: [Value], type: ExprType, strings: StringDictionary) -> Column {
        let valid = values.map { !$0.isNull }
        switch type {
        case .bool:
            return .truth(
                values.map { if case .bool(let x) = $0 { return x ? .true : .false } else { return .unknown } })
        case .int: return .int(values.map { if case .int(let x) = $0 { return x } else { return 0 } }, valid: valid)
        case .number: return .number(values.map { $0.double ?? 0 }, valid: valid)
        case .date:
            return .date(
                values.map { if case .date(let d) = $0 { return d.daysSinceEpoch } else { return 0 } }, valid: valid)
        case .string, .null:
            return .string(
                values.map { if case .string(let s) = $0 { return strings.code(of: s) } else { return -1 } }, strings)
        }
    }
}
