import KPIWatchCore
import KPIWatchExpressions

/// A record expression (a `where`, a `date:`, an aggregate's argument) in typed form: what the type checker
/// proved about it, kept as data rather than closures, so that it can be evaluated over a batch of rows held
/// as typed columns (`ColumnarEvaluator`). Built from an expression that has already been type-checked, so it
/// never reports errors: a form it does not cover (a function not listed here, `kpi.ID`, a variable) gives nil,
/// and that expression keeps the row-at-a-time evaluator.
indirect enum TypedRecordExpression: Sendable, Hashable {
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

    var type: ExprType {
        switch self {
        case .field(_, let type), .constant(_, let type), .arithmetic(_, _, _, let type), .negate(_, let type),
            .coalesce(_, let type):
            return type
        case .asOf, .addDays, .addMonths: return .date
        case .not, .and, .or, .isNull, .compare, .inList: return .bool
        case .daysBetween, .weeksBetween: return .int
        case .lower, .upper, .trim: return .string
        }
    }

    /// The record fields it reads: slot → type.
    var fields: [Int: ExprType] {
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
        case .coalesce(let items, _): return items.reduce(into: [:]) { $0.merge($1.fields) { first, _ in first } }
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
        case .coalesce(let items, _): return items.contains { $0.usesAsOf }
        }
    }

    /// The typed form of a checked expression's text, or nil for a form the columnar evaluator does not cover.
    static func lower(
        _ source: LocatedText, fields: [String: ExpressionScope.Field], benchmarks: [String: Value]
    ) -> TypedRecordExpression? {
        guard let node = try? ExpressionCompiler.parse(source) else { return nil }
        return Lowering(fields: fields, benchmarks: benchmarks).lower(node)
    }
}

/// The type rules of `TypeChecker`, restated for the forms `TypedRecordExpression` covers.
private struct Lowering {
    let fields: [String: ExpressionScope.Field]
    let benchmarks: [String: Value]

    func lower(_ node: ExprNode) -> TypedRecordExpression? {
        switch node.kind {
        case .literal(let value): return value.isNull ? nil : .constant(value, type: ExprType(of: value))
        case .name(let name): return resolve(name)
        case .not(let operand): return lower(operand).map { .not($0) }
        case .isNull(let operand, let negated): return lower(operand).map { .isNull($0, negated: negated) }
        case .negate(let operand):
            guard let inner = lower(operand) else { return nil }
            return .negate(inner, type: inner.type == .null ? .int : inner.type)
        case .binary(let op, let leftNode, let rightNode):
            guard let left = lower(leftNode), let right = lower(rightNode) else { return nil }
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
            guard let operand = lower(operandNode) else { return nil }
            var items: [Value] = []
            for itemNode in itemNodes {
                if case .name(let name) = itemNode.kind, name.hasPrefix("benchmark."),
                    let codes = BenchmarkList.items(String(name.dropFirst(10)), in: benchmarks)
                {
                    items += codes
                } else if let value = Self.constant(lower(itemNode)) {
                    items.append(value)
                } else {
                    return nil
                }
            }
            return .inList(operand, items, negated: negated)
        case .call(let name, let argumentNodes):
            let arguments = argumentNodes.compactMap { lower($0) }
            guard arguments.count == argumentNodes.count, let function = ScalarFunction(rawValue: name) else {
                return nil
            }
            return call(function, arguments)
        }
    }

    /// A list item's value: a constant, or a negated number constant (`-1` parses as the negation of 1).
    private static func constant(_ item: TypedRecordExpression?) -> Value? {
        switch item {
        case .constant(let value, _)?: return value
        case .negate(.constant(.int(let x), _), _)?:
            let (result, overflow) = Int(0).subtractingReportingOverflow(x)
            return overflow ? nil : .int(result)
        case .negate(.constant(.number(let x), _), _)?: return .number(-x)
        default: return nil
        }
    }

    private func resolve(_ name: String) -> TypedRecordExpression? {
        if name == "as_of" { return .asOf }
        if let field = fields[name] { return .field(index: field.index, type: ExprType(field.type)) }
        if name.hasPrefix("benchmark."), let value = benchmarks[String(name.dropFirst(10))] {
            return .constant(value, type: ExprType(of: value))
        }
        return nil
    }

    private func call(_ function: ScalarFunction, _ a: [TypedRecordExpression]) -> TypedRecordExpression? {
        switch (function, a.count) {
        case (.daysBetween, 2): return .daysBetween(a[0], a[1])
        case (.weeksBetween, 2): return .weeksBetween(a[0], a[1])
        case (.addDays, 2): return .addDays(a[0], a[1], days: 1)
        case (.addWeeks, 2): return .addDays(a[0], a[1], days: 7)
        case (.addMonths, 2): return .addMonths(a[0], a[1])
        case (.lower, 1): return .lower(a[0])
        case (.upper, 1): return .upper(a[0])
        case (.trim, 1): return .trim(a[0])
        case (.date, 1):
            // date("2024-02-29"): the checker has already refused a constant that is not a date.
            if a[0].type == .date { return a[0] }
            if case .constant(.string(let text), _) = a[0], let day = Day(iso: text) {
                return .constant(.date(day), type: .date)
            }
            return nil
        case (.coalesce, _):
            guard let type = ExprType.unify(a.map(\.type)) else { return nil }
            return .coalesce(a, type: type)
        default: return nil
        }
    }

}
