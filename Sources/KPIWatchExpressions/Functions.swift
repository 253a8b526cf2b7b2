import KPIWatchCore

/// Type rules and evaluators of the scalar functions (documented on `ScalarFunction`).
extension TypeChecker {
    package func checkFunction(_ function: ScalarFunction, _ nodes: [ExprNode], _ node: ExprNode) -> Typed? {
        let checked = nodes.map { check($0) }
        guard checkArity(function.rawValue, function.arity, nodes.count, node, hint: function.usage) else { return nil }
        let arguments = checked.compactMap { $0 }
        guard arguments.count == checked.count else { return nil }
        let call = FunctionCall(function: function, nodes: nodes, arguments: arguments, node: node, checker: self)
        let e = arguments.map(\.evaluator)
        switch function {
        case .daysBetween:
            guard call.require(0, .date), call.require(1, .date) else { return nil }
            return call.result(.int, dates(e[0], e[1]) { .int($1.daysSinceEpoch - $0.daysSinceEpoch) })
        case .weeksBetween:
            guard call.require(0, .date), call.require(1, .date) else { return nil }
            return call.result(.int, dates(e[0], e[1]) { .int(CalendarMath.weeksBetween($0, $1)) })
        case .monthsBetween:
            guard call.require(0, .date), call.require(1, .date) else { return nil }
            return call.result(.int, dates(e[0], e[1]) { .int(CalendarMath.monthsBetween($0, $1)) })
        case .age:
            guard call.require(0, .date), call.require(1, .date) else { return nil }
            return call.result(.int, dates(e[0], e[1]) { .int(CalendarMath.age(born: $0, on: $1)) })
        case .addDays, .addWeeks, .addMonths:
            guard call.require(0, .date), call.require(1, .int) else { return nil }
            return call.result(.date, moveDate(function, e[0], e[1]))
        case .year:
            guard call.require(0, .date) else { return nil }
            return call.result(.int, date(e[0]) { .int($0.year) })
        case .month:
            guard call.require(0, .date) else { return nil }
            return call.result(.int, date(e[0]) { .int($0.month) })
        case .startOfMonth:
            guard call.require(0, .date) else { return nil }
            return call.result(.date, date(e[0]) { .date($0.firstOfMonth) })
        case .endOfMonth:
            guard call.require(0, .date) else { return nil }
            return call.result(.date, date(e[0]) { .date($0.lastOfMonth) })
        case .isWeekend:
            guard call.require(0, .date) else { return nil }
            return call.result(.bool, date(e[0]) { .bool($0.weekday >= 6) })
        case .lower:
            guard call.require(0, .string) else { return nil }
            return call.result(.string, string(e[0]) { .string($0.lowercased()) })
        case .upper:
            guard call.require(0, .string) else { return nil }
            return call.result(.string, string(e[0]) { .string($0.uppercased()) })
        case .trim:
            guard call.require(0, .string) else { return nil }
            return call.result(.string, string(e[0]) { .string(TypeChecker.trimmed($0)) })
        case .contains:
            guard call.require(0, .string), call.require(1, .string) else { return nil }
            return call.result(.bool, strings(e[0], e[1]) { .bool($1.isEmpty || $0.contains($1)) })
        case .startsWith:
            guard call.require(0, .string), call.require(1, .string) else { return nil }
            return call.result(.bool, strings(e[0], e[1]) { .bool($0.hasPrefix($1)) })
        case .round: return checkRound(call)
        case .date: return checkDate(call)
        case .coalesce: return checkCoalesce(call)
        case .if: return checkIf(call)
        case .minOf, .maxOf: return checkExtreme(call, smallest: function == .minOf)
        case .abs, .floor, .ceil: return checkNumeric(call)
        }
    }

    private func checkRound(_ call: FunctionCall) -> Typed? {
        guard call.require(0, .number), call.arguments.count == 1 || call.require(1, .int) else { return nil }
        let x = call.arguments[0].evaluator
        guard call.arguments.count == 2 else {
            return call.result(.number) { context in
                guard let value = x(context).double else { return .null }
                return .number(NumberMath.round(value, places: 0))
            }
        }
        let places = call.arguments[1].evaluator
        return call.result(.number) { context in
            guard let value = x(context).double, case .int(let n) = places(context) else { return .null }
            return .number(NumberMath.round(value, places: n))
        }
    }

    private func checkDate(_ call: FunctionCall) -> Typed? {
        let argument = call.arguments[0]
        if argument.type == .date { return argument }
        guard call.require(0, .string) else { return nil }
        if case .string(let text)? = argument.constant {
            guard let day = Day(iso: text) else {
                error(
                    "'\(text)' is not a valid date", at: call.nodes[0].offset,
                    hint: "write dates as yyyy-MM-dd, e.g. date(\"2023-01-31\")")
                return nil
            }
            return .constant(.date(day))
        }
        return call.result(.date, string(argument.evaluator) { Day(iso: $0).map(Value.date) ?? .null })
    }

    private func checkCoalesce(_ call: FunctionCall) -> Typed? {
        guard let type = call.unifiedType(of: Array(call.arguments.indices)) else { return nil }
        let evaluators = call.arguments.map {
            type == .number && $0.type == .int ? ValueOperations.asNumber($0.evaluator) : $0.evaluator
        }
        return call.result(type) { context in
            for evaluator in evaluators {
                let value = evaluator(context)
                if !value.isNull { return value }
            }
            return .null
        }
    }

    private func checkIf(_ call: FunctionCall) -> Typed? {
        guard call.require(0, .bool), let type = call.unifiedType(of: [1, 2]) else { return nil }
        let condition = call.arguments[0].evaluator
        let (yes, no) = (call.arguments[1], call.arguments[2])
        let whenTrue = type == .number && yes.type == .int ? ValueOperations.asNumber(yes.evaluator) : yes.evaluator
        let whenFalse = type == .number && no.type == .int ? ValueOperations.asNumber(no.evaluator) : no.evaluator
        return call.result(type) { context in
            if case .bool(true) = condition(context) { return whenTrue(context) }
            return whenFalse(context)
        }
    }

    private func checkExtreme(_ call: FunctionCall, smallest: Bool) -> Typed? {
        guard let type = call.unifiedType(of: Array(call.arguments.indices)) else { return nil }
        guard type.isNumeric || type == .date || type == .string || type == .null else {
            error(
                "\(call.function.rawValue) needs numbers, dates or strings; got \(type)", at: call.node.offset,
                hint: call.function.usage)
            return nil
        }
        let evaluators = call.arguments.map {
            type == .number && $0.type == .int ? ValueOperations.asNumber($0.evaluator) : $0.evaluator
        }
        let wanted = smallest ? -1 : 1
        return call.result(type) { context in
            var best = Value.null
            for evaluator in evaluators {
                let value = evaluator(context)
                if value.isNull { continue }
                if best.isNull || ValueOperations.order(value, best) == wanted { best = value }
            }
            return best
        }
    }

    private func checkNumeric(_ call: FunctionCall) -> Typed? {
        guard call.require(0, .number) else { return nil }
        let x = call.arguments[0].evaluator
        let isInt = call.arguments[0].type != .number
        switch call.function {
        case .abs:
            return call.result(isInt ? .int : .number) { context in
                switch x(context) {
                case .int(let value): return value == Int.min ? .null : .int(Swift.abs(value))
                case .number(let value): return .number(Swift.abs(value))
                default: return .null
                }
            }
        default:
            let rule: FloatingPointRoundingRule = call.function == .floor ? .down : .up
            return call.result(.int) { context in
                switch x(context) {
                case .int(let value): return .int(value)
                case .number(let value): return NumberMath.integer(value.rounded(rule)).map(Value.int) ?? .null
                default: return .null
                }
            }
        }
    }

    private func moveDate(_ function: ScalarFunction, _ day: @escaping Evaluator, _ count: @escaping Evaluator)
        -> Evaluator
    {
        // Bounds keep the calendar arithmetic far from integer overflow; beyond them there is no date.
        let limit: UInt = 100_000_000
        return { context in
            guard case .date(let start) = day(context), case .int(let n) = count(context) else { return .null }
            // `magnitude`, not `abs`: abs(Int.min) traps.
            switch function {
            case .addMonths:
                return n.magnitude <= limit / 30 ? .date(start.adding(months: n)) : .null
            case .addWeeks:
                return n.magnitude <= limit / 7 ? .date(start.adding(days: n * 7)) : .null
            default:
                return n.magnitude <= limit ? .date(start.adding(days: n)) : .null
            }
        }
    }

    package static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

// Evaluator builders for null-propagating functions of typed arguments.

private func date(_ a: @escaping Evaluator, _ body: @escaping @Sendable (Day) -> Value) -> Evaluator {
    { context in
        guard case .date(let x) = a(context) else { return .null }
        return body(x)
    }
}

private func dates(_ a: @escaping Evaluator, _ b: @escaping Evaluator, _ body: @escaping @Sendable (Day, Day) -> Value)
    -> Evaluator
{
    { context in
        guard case .date(let x) = a(context), case .date(let y) = b(context) else { return .null }
        return body(x, y)
    }
}

private func string(_ a: @escaping Evaluator, _ body: @escaping @Sendable (String) -> Value) -> Evaluator {
    { context in
        guard case .string(let x) = a(context) else { return .null }
        return body(x)
    }
}

private func strings(
    _ a: @escaping Evaluator, _ b: @escaping Evaluator, _ body: @escaping @Sendable (String, String) -> Value
) -> Evaluator {
    { context in
        guard case .string(let x) = a(context), case .string(let y) = b(context) else { return .null }
        return body(x, y)
    }
}

/// One call being checked: its arguments and the reporting of argument errors.
package struct FunctionCall {
    package let function: ScalarFunction
    package let nodes: [ExprNode]
    package let arguments: [Typed]
    package let node: ExprNode
    package let checker: TypeChecker

    /// Reports unless argument `index` has the `expected` type (an int is a number; null fits any).
    package func require(_ index: Int, _ expected: ExprType) -> Bool {
        let actual = arguments[index].type
        if actual.fits(expected) { return true }
        let noun: String
        switch expected {
        case .date: noun = "a date"
        case .int: noun = "an int"
        case .number: noun = "a number"
        case .string: noun = "a string"
        case .bool: noun = "a condition"
        case .null: noun = "null"
        }
        checker.error(
            "\(function.rawValue) needs \(noun) as argument \(index + 1); got \(actual)", at: nodes[index].offset,
            hint: function.usage)
        return false
    }

    /// The one type the arguments at `indices` share, or nil after reporting that they differ.
    package func unifiedType(of indices: [Int]) -> ExprType? {
        if let type = ExprType.unify(indices.map { arguments[$0].type }) { return type }
        let types = indices.map { arguments[$0].type }.filter { $0 != .null }
        var distinct: [ExprType] = []
        for type in types where !distinct.contains(type) { distinct.append(type) }
        checker.error(
            "\(function.rawValue) needs arguments of one type; got "
                + distinct.map(\.description).joined(separator: " and "),
            at: node.offset, hint: function.usage)
        return nil
    }

    package func result(_ type: ExprType, _ evaluator: @escaping Evaluator) -> Typed {
        checker.folded(type, arguments, evaluator)
    }
}
