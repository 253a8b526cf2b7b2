import KPIWatchCore

/// Type rules and evaluators of the operators. Comparisons with null are false; `and`, `or` and
/// `not` follow SQL's three-valued logic; `/` is real division and null when dividing by zero.
extension TypeChecker {
    package func checkNegate(_ operand: ExprNode, _ node: ExprNode) -> Typed? {
        guard let value = check(operand) else { return nil }
        guard value.type.fits(.number) else {
            error(
                "'-' needs a number; got \(value.type)", at: node.offset,
                hint: "only int and number values can be negated")
            return nil
        }
        let inner = value.evaluator
        return folded(value.type == .null ? .int : value.type, [value]) { ValueOperations.negate(inner($0)) }
    }

    package func checkNot(_ operand: ExprNode, _ node: ExprNode) -> Typed? {
        guard let value = check(operand) else { return nil }
        guard value.type.fits(.bool) else {
            error(
                "'not' needs a condition; got \(value.type)", at: node.offset,
                hint: "compare the value first, e.g. 'not (x > 5)'")
            return nil
        }
        let inner = value.evaluator
        return folded(.bool, [value]) { context in
            if case .bool(let truth) = inner(context) { return .bool(!truth) }
            return .null
        }
    }

    package func checkIsNull(_ operand: ExprNode, negated: Bool) -> Typed? {
        guard let value = check(operand) else { return nil }
        let inner = value.evaluator
        return folded(.bool, [value]) { .bool(inner($0).isNull != negated) }
    }

    package func checkBinary(_ op: BinaryOperator, _ leftNode: ExprNode, _ rightNode: ExprNode, _ node: ExprNode)
        -> Typed?
    {
        // Both sides are checked before giving up so that an error on each side is reported.
        let left = check(leftNode)
        let right = check(rightNode)
        guard let left, let right else { return nil }
        switch op {
        case .and, .or: return checkLogic(op, left, right, node)
        case .add, .subtract, .multiply, .divide: return checkArithmetic(op, left, right, node)
        default: return checkComparison(op, left, right, node)
        }
    }

    private func checkLogic(_ op: BinaryOperator, _ left: Typed, _ right: Typed, _ node: ExprNode) -> Typed? {
        guard left.type.fits(.bool), right.type.fits(.bool) else {
            error(
                "'\(op.rawValue)' needs two conditions; got \(left.type) and \(right.type)", at: node.offset,
                hint: "compare values first, e.g. 'x > 0 \(op.rawValue) y is null'")
            return nil
        }
        let a = left.evaluator
        let b = right.evaluator
        if op == .and {
            return folded(.bool, [left, right]) { context in
                let x = a(context)
                if case .bool(false) = x { return .bool(false) }
                let y = b(context)
                if case .bool(false) = y { return .bool(false) }
                if case .bool(true) = x, case .bool(true) = y { return .bool(true) }
                return .null
            }
        }
        return folded(.bool, [left, right]) { context in
            let x = a(context)
            if case .bool(true) = x { return .bool(true) }
            let y = b(context)
            if case .bool(true) = y { return .bool(true) }
            if case .bool(false) = x, case .bool(false) = y { return .bool(false) }
            return .null
        }
    }

    private func checkArithmetic(_ op: BinaryOperator, _ left: Typed, _ right: Typed, _ node: ExprNode) -> Typed? {
        guard left.type.fits(.number), right.type.fits(.number) else {
            let hint: String
            if left.type == .date && right.type == .date && op == .subtract {
                hint = "use days_between(a, b) for the days from a to b"
            } else if (left.type == .date || right.type == .date) && (op == .add || op == .subtract) {
                hint = "use add_days(d, n), add_weeks(d, n) or add_months(d, n) to move a date"
            } else {
                hint = "arithmetic works on int and number values"
            }
            error("'\(op.rawValue)' needs two numbers; got \(left.type) and \(right.type)", at: node.offset, hint: hint)
            return nil
        }
        let a = left.evaluator
        let b = right.evaluator
        if op == .divide {
            return folded(.number, [left, right]) { ValueOperations.divide(a($0), b($0)) }
        }
        let bothInt = left.type != .number && right.type != .number
        if bothInt {
            return folded(.int, [left, right]) { ValueOperations.arithmetic(op, a($0), b($0)) }
        }
        switch op {
        case .add:
            return folded(.number, [left, right]) { context in
                guard let x = a(context).double, let y = b(context).double else { return .null }
                return .number(x + y)
            }
        case .subtract:
            return folded(.number, [left, right]) { context in
                guard let x = a(context).double, let y = b(context).double else { return .null }
                return .number(x - y)
            }
        default:
            return folded(.number, [left, right]) { context in
                guard let x = a(context).double, let y = b(context).double else { return .null }
                return .number(x * y)
            }
        }
    }

    /// Whether two types can be compared by `op`: numbers with numbers, and dates, strings (and,
    /// for `==`/`!=`, bools) with their own kind.
    private static func comparable(_ op: BinaryOperator, _ a: ExprType, _ b: ExprType) -> Bool {
        if a.isNumeric && b.isNumeric { return true }
        guard a == b else { return false }
        return a == .date || a == .string || (a == .bool && (op == .equal || op == .notEqual))
    }

    private func comparisonHint(_ a: ExprType, _ b: ExprType) -> String {
        let pair = Set([a, b])
        if pair == [.date, .string] { return "turn text into a date with date(\"2023-01-31\")" }
        if pair.contains(.date) && (pair.contains(.int) || pair.contains(.number)) {
            return "count the days between two dates with days_between(a, b)"
        }
        if pair == [.bool] { return "test a condition directly, e.g. 'a and not b'" }
        return "compare values of one type"
    }

    private func checkComparison(_ op: BinaryOperator, _ left: Typed, _ right: Typed, _ node: ExprNode) -> Typed? {
        if left.type == .null || right.type == .null {
            error(
                "a comparison with null is always false", at: node.offset,
                hint: "test for a missing value with 'x is null' or 'x is not null'")
            return nil
        }
        guard TypeChecker.comparable(op, left.type, right.type) else {
            let needs =
                (op == .equal || op == .notEqual)
                ? "two values of the same type" : "two numbers, two dates or two strings"
            error(
                "'\(op.rawValue)' needs \(needs); got \(left.type) and \(right.type)", at: node.offset,
                hint: comparisonHint(left.type, right.type))
            return nil
        }
        let a = left.evaluator
        let b = right.evaluator
        let evaluator: Evaluator
        switch op {
        case .equal:
            evaluator = { .bool(ValueOperations.order(a($0), b($0)) == 0) }
        case .notEqual:
            evaluator = { context in
                guard let order = ValueOperations.order(a(context), b(context)) else { return .bool(false) }
                return .bool(order != 0)
            }
        case .less:
            evaluator = { .bool((ValueOperations.order(a($0), b($0)) ?? 0) < 0) }
        case .lessOrEqual:
            evaluator = { .bool((ValueOperations.order(a($0), b($0)) ?? 1) <= 0) }
        case .greater:
            evaluator = { .bool((ValueOperations.order(a($0), b($0)) ?? 0) > 0) }
        default:
            evaluator = { .bool((ValueOperations.order(a($0), b($0)) ?? -1) >= 0) }
        }
        return folded(.bool, [left, right], evaluator)
    }

    package func checkIn(_ operandNode: ExprNode, _ listNodes: [ExprNode], negated: Bool, _ node: ExprNode) -> Typed? {
        let operand = check(operandNode)
        var items: [Typed] = []
        var failed = operand == nil
        for itemNode in listNodes {
            if let codes = benchmarkList(itemNode) {
                items += codes.map { Typed.constant($0) }
                continue
            }
            guard let item = check(itemNode) else {
                failed = true
                continue
            }
            if item.type == .null {
                error(
                    "null in a list never matches", at: itemNode.offset,
                    hint: "test for a missing value separately: 'x is null or x in [...]'")
                failed = true
            } else if let operand, operand.type != .null, !TypeChecker.comparable(.equal, operand.type, item.type) {
                error(
                    "'\(negated ? "not in" : "in")' needs list items of the same type as the value; "
                        + "got \(operand.type) and \(item.type)",
                    at: itemNode.offset, hint: comparisonHint(operand.type, item.type))
                failed = true
            }
            items.append(item)
        }
        guard !failed, let operand else { return nil }
        if operand.type == .null {
            error(
                "a comparison with null is always false", at: node.offset,
                hint: "test for a missing value with 'x is null' or 'x is not null'")
            return nil
        }
        let value = operand.evaluator
        if items.allSatisfy({ $0.constant != nil }) {
            let constants = items.compactMap(\.constant)
            return folded(.bool, [operand]) { context in
                let x = value(context)
                if x.isNull { return .bool(false) }
                for candidate in constants where ValueOperations.order(x, candidate) == 0 { return .bool(!negated) }
                return .bool(negated)
            }
        }
        let evaluators = items.map(\.evaluator)
        return folded(.bool, [operand] + items) { context in
            let x = value(context)
            if x.isNull { return .bool(false) }
            for candidate in evaluators where ValueOperations.order(x, candidate(context)) == 0 {
                return .bool(!negated)
            }
            return .bool(negated)
        }
    }

    /// `benchmark.NAME` inside a list, when NAME is a list benchmark: its codes, spliced into the list.
    private func benchmarkList(_ node: ExprNode) -> [Value]? {
        guard case .name(let name) = node.kind, name.hasPrefix("benchmark.") else { return nil }
        let benchmark = String(name.dropFirst(10))
        guard let codes = BenchmarkList.items(benchmark, in: scope.benchmarks) else { return nil }
        if !references.benchmarks.contains(benchmark) { references.benchmarks.append(benchmark) }
        return codes
    }
}
