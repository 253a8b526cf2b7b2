import KPIWatchCore

/// The run-time semantics of operators on `Value`s. The type checker has already ruled out
/// meaningless combinations; these still answer null rather than trap on anything unexpected.
package enum ValueOperations {
    /// -1, 0 or 1; nil when either side is null or the two cannot be ordered. Ints compare with
    /// numbers numerically; strings compare in UTF-8 byte order.
    @inline(__always)
    package static func order(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.date(let x), .date(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)):
            if x.utf8.elementsEqual(y.utf8) { return 0 }
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        default:
            guard let x = a.double, let y = b.double, !x.isNaN, !y.isNaN else { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    /// `+ - *`: int with int stays int (null on overflow); anything with a number is a number.
    @inline(__always)
    package static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let result: (partialValue: Int, overflow: Bool)
            switch op {
            case .add: result = x.addingReportingOverflow(y)
            case .subtract: result = x.subtractingReportingOverflow(y)
            case .multiply: result = x.multipliedReportingOverflow(by: y)
            default: return divide(a, b)
            }
            return result.overflow ? .null : .int(result.partialValue)
        }
        guard let x = a.double, let y = b.double else { return .null }
        switch op {
        case .add: return .number(x + y)
        case .subtract: return .number(x - y)
        case .multiply: return .number(x * y)
        default: return divide(a, b)
        }
    }

    /// Always real division; by zero it is null ("no value"), never an error.
    @inline(__always)
    package static func divide(_ a: Value, _ b: Value) -> Value {
        guard let x = a.double, let y = b.double, y != 0 else { return .null }
        return .number(x / y)
    }

    package static func negate(_ value: Value) -> Value {
        switch value {
        case .int(let x):
            let (result, overflow) = Int(0).subtractingReportingOverflow(x)
            return overflow ? .null : .int(result)
        case .number(let x): return .number(-x)
        default: return .null
        }
    }

    /// Turns ints into numbers where the static type says number, so that one expression never
    /// yields both kinds.
    package static func asNumber(_ evaluator: @escaping Evaluator) -> Evaluator {
        { context in
            let value = evaluator(context)
            if case .int(let x) = value { return .number(Double(x)) }
            return value
        }
    }
}
