import KPIWatchCore
import KPIWatchExpressions

/// A record expression (a `where`, a `date:`, an aggregate's argument) in typed form: what the type checker
/// proved about it, kept as data rather than closures, so that it can be evaluated over a batch of rows held
/// as typed columns (`ColumnarEvaluator`) or translated into SQL (`SQLExpressionTranslator`). Built from an
/// expression that has already been type-checked, so its only refusals are the forms it does not cover (`kpi.ID`,
/// a variable, an aggregate, an `in` list of expressions), each with the reason; such an expression keeps the
/// row-at-a-time evaluator.
package indirect enum TypedRecordExpression: Sendable, Hashable {
    case field(index: Int, type: ExprType)
    case asOf
    case constant(Value, type: ExprType)
    case not(TypedRecordExpression)
    case and(TypedRecordExpression, TypedRecordExpression)
    case or(TypedRecordExpression, TypedRecordExpression)
    case isNull(TypedRecordExpression, negated: Bool)
    case compare(BinaryOperator, TypedRecordExpression, TypedRecordExpression)
    /// The list's items are constants (benchmark lists spliced in), never null.
    case inList(TypedRecordExpression, [Value], negated: Bool)
    /// `+ - *` on ints stay ints (null on overflow); with a number, numbers; `/` is always a number.
    case arithmetic(BinaryOperator, TypedRecordExpression, TypedRecordExpression, type: ExprType)
    case negate(TypedRecordExpression, type: ExprType)
    case daysBetween(TypedRecordExpression, TypedRecordExpression)
    case weeksBetween(TypedRecordExpression, TypedRecordExpression)
    /// add_days (days = 1) and add_weeks (days = 7).
    case addDays(TypedRecordExpression, TypedRecordExpression, days: Int)
    case addMonths(TypedRecordExpression, TypedRecordExpression)
    case lower(TypedRecordExpression)
    case upper(TypedRecordExpression)
    case trim(TypedRecordExpression)
    case coalesce([TypedRecordExpression], type: ExprType)
    /// Any other scalar function (`year`, `if`, `round`, `date` of text…), typed as the checker types it. The SQL
    /// translator reads it; the columnar evaluator does not compute it, so an expression holding one is decided
    /// row by row in process.
    case function(ScalarFunction, [TypedRecordExpression], type: ExprType)

    package var type: ExprType {
        switch self {
        case .field(_, let type), .constant(_, let type), .arithmetic(_, _, _, let type), .negate(_, let type),
            .coalesce(_, let type), .function(_, _, let type):
            return type
        case .asOf, .addDays, .addMonths: return .date
        case .not, .and, .or, .isNull, .compare, .inList: return .bool
        case .daysBetween, .weeksBetween: return .int
        case .lower, .upper, .trim: return .string
        }
    }

    /// The record fields it reads: slot → type.
    package var fields: [Int: ExprType] {
        switch self {
        case .field(let index, let type): return [index: type]
        case .asOf, .constant: return [:]
        case .not(let a), .isNull(let a, _), .inList(let a, _, _), .negate(let a, _), .lower(let a), .upper(let a),
            .trim(let a):
            return a.fields
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b, _),
            .daysBetween(let a, let b), .weeksBetween(let a, let b), .addDays(let a, let b, _),
            .addMonths(let a, let b):
            return a.fields.merging(b.fields) { first, _ in first }
        case .coalesce(let items, _), .function(_, let items, _):
            return items.reduce(into: [:]) { $0.merge($1.fields) { first, _ in first } }
        }
    }

    /// Whether its value can change with `as_of` (else one evaluation serves every as-of date of a batch).
    var usesAsOf: Bool {
        switch self {
        case .asOf: return true
        case .field, .constant: return false
        case .not(let a), .isNull(let a, _), .inList(let a, _, _), .negate(let a, _), .lower(let a), .upper(let a),
            .trim(let a):
            return a.usesAsOf
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b, _),
            .daysBetween(let a, let b), .weeksBetween(let a, let b), .addDays(let a, let b, _),
            .addMonths(let a, let b):
            return a.usesAsOf || b.usesAsOf
        case .coalesce(let items, _), .function(_, let items, _): return items.contains { $0.usesAsOf }
        }
    }

    /// Its direct operands, left to right.
    package var operands: [TypedRecordExpression] {
        switch self {
        case .field, .asOf, .constant: return []
        case .not(let a), .isNull(let a, _), .inList(let a, _, _), .negate(let a, _), .lower(let a), .upper(let a),
            .trim(let a):
            return [a]
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b, _),
            .daysBetween(let a, let b), .weeksBetween(let a, let b), .addDays(let a, let b, _),
            .addMonths(let a, let b):
            return [a, b]
        case .coalesce(let items, _), .function(_, let items, _): return items
        }
    }

    /// The first function it holds as `.function` (depth first), which the columnar evaluator leaves to the row
    /// evaluator.
    package var uncomputedFunction: ScalarFunction? {
        if case .function(let function, _, _) = self { return function }
        return operands.lazy.compactMap(\.uncomputedFunction).first
    }

    /// The typed form of a checked expression's text, or nil for a form it does not cover.
    static func lower(
        _ source: LocatedText, fields: [String: ExpressionScope.Field], benchmarks: [String: Value]
    ) -> TypedRecordExpression? {
        guard let node = try? ExpressionCompiler.parse(source) else { return nil }
        return try? Lowering(fields: fields, benchmarks: benchmarks).lower(node)
    }

    /// The typed form of a checked expression's node, or why it has none.
    package static func lower(
        _ node: ExprNode, fields: [String: ExpressionScope.Field], benchmarks: [String: Value]
    ) throws(Refusal) -> TypedRecordExpression {
        try Lowering(fields: fields, benchmarks: benchmarks).lower(node)
    }

    /// Why an expression has no typed form, in the user's words.
    package struct Refusal: Error, Sendable {
        package var reason: String
    }
}

/// The type rules of `TypeChecker`, restated for the forms `TypedRecordExpression` covers.
private struct Lowering {
    typealias Refusal = TypedRecordExpression.Refusal
    let fields: [String: ExpressionScope.Field]
    let benchmarks: [String: Value]

    func lower(_ node: ExprNode) throws(Refusal) -> TypedRecordExpression {
        switch node.kind {
        case .literal(let value): return .constant(value, type: ExprType(of: value))
        case .name(let name): return try resolve(name)
        case .not(let operand): return .not(try lower(operand))
        case .isNull(let operand, let negated): return .isNull(try lower(operand), negated: negated)
        case .negate(let operand):
            let inner = try lower(operand)
            return .negate(inner, type: inner.type == .null ? .int : inner.type)
        case .binary(let op, let leftNode, let rightNode):
            let left = try lower(leftNode)
            let right = try lower(rightNode)
            switch op {
            case .and: return .and(left, right)
            case .or: return .or(left, right)
            case .divide: return .arithmetic(op, left, right, type: .number)
            case .add, .subtract, .multiply:
                let bothInt = left.type != .number && right.type != .number
                return .arithmetic(op, left, right, type: bothInt ? .int : .number)
            default: return .compare(op, left, right)
            }
        case .inList(let operandNode, let itemNodes, let negated):
            let operand = try lower(operandNode)
            var items: [Value] = []
            for itemNode in itemNodes {
                if case .name(let name) = itemNode.kind, name.hasPrefix("benchmark."),
                    let codes = BenchmarkList.items(String(name.dropFirst(10)), in: benchmarks)
                {
                    items += codes
                } else if let value = Self.constant(try? lower(itemNode)) {
                    items.append(value)
                } else {
                    throw Refusal(reason: "'in' with a list of expressions is evaluated in process")
                }
            }
            return .inList(operand, items, negated: negated)
        case .call(let name, let argumentNodes):
            guard let function = ScalarFunction(rawValue: name) else {
                throw Refusal(reason: "\(name)(…) cannot be used on a record")
            }
            var arguments: [TypedRecordExpression] = []
            for argumentNode in argumentNodes { arguments.append(try lower(argumentNode)) }
            guard function.arity.contains(arguments.count) || function == .coalesce else {
                throw Refusal(reason: "\(name) takes \(function.arity) arguments, got \(arguments.count)")
            }
            return try call(function, arguments)
        }
    }

    /// A list item's value: a constant, or a negated number constant (`-1` parses as the negation of 1).
    private static func constant(_ item: TypedRecordExpression?) -> Value? {
        switch item {
        case .constant(let value, _)? where !value.isNull: return value
        case .negate(.constant(.int(let x), _), _)?:
            let (result, overflow) = Int(0).subtractingReportingOverflow(x)
            return overflow ? nil : .int(result)
        case .negate(.constant(.number(let x), _), _)?: return .number(-x)
        default: return nil
        }
    }

    private func resolve(_ name: String) throws(Refusal) -> TypedRecordExpression {
        if name == "as_of" { return .asOf }
        if let field = fields[name] { return .field(index: field.index, type: ExprType(field.type)) }
        if name.hasPrefix("benchmark."), let value = benchmarks[String(name.dropFirst(10))] {
            return .constant(value, type: ExprType(of: value))
        }
        throw Refusal(reason: "'\(name)' is not a field of the record")
    }

    private func call(_ function: ScalarFunction, _ a: [TypedRecordExpression]) throws(Refusal)
        -> TypedRecordExpression
    {
        func unified(_ items: [TypedRecordExpression]) throws(Refusal) -> ExprType {
            guard let type = ExprType.unify(items.map(\.type)) else {
                throw Refusal(reason: "the arguments of \(function.rawValue)(…) have no common type")
            }
            return type
        }
        switch function {
        case .daysBetween: return .daysBetween(a[0], a[1])
        case .weeksBetween: return .weeksBetween(a[0], a[1])
        case .addDays: return .addDays(a[0], a[1], days: 1)
        case .addWeeks: return .addDays(a[0], a[1], days: 7)
        case .addMonths: return .addMonths(a[0], a[1])
        case .lower: return .lower(a[0])
        case .upper: return .upper(a[0])
        case .trim: return .trim(a[0])
        case .date:
            // date("2024-02-29"): the checker has already refused a constant that is not a date.
            if a[0].type == .date { return a[0] }
            if case .constant(.string(let text), _) = a[0], let day = Day(iso: text) {
                return .constant(.date(day), type: .date)
            }
            return .function(function, a, type: .date)
        case .coalesce: return .coalesce(a, type: try unified(a))
        case .monthsBetween, .age, .year, .month, .floor, .ceil: return .function(function, a, type: .int)
        case .startOfMonth, .endOfMonth: return .function(function, a, type: .date)
        case .isWeekend, .contains, .startsWith: return .function(function, a, type: .bool)
        case .round: return .function(function, a, type: .number)
        case .abs: return .function(function, a, type: a[0].type == .number ? .number : .int)
        case .if: return .function(function, a, type: try unified([a[1], a[2]]))
        case .minOf, .maxOf: return .function(function, a, type: try unified(a))
        }
    }
}
