import KPIWatchCore

/// A checked sub-expression: its static type, its evaluator and, when it does not depend on the
/// row or the context, its value (so that constant parts are computed once, at load time).
package struct Typed {
    package var type: ExprType
    package var evaluator: Evaluator
    package var constant: Value?

    package init(type: ExprType, evaluator: @escaping Evaluator) {
        self.type = type
        self.evaluator = evaluator
        self.constant = nil
    }

    package static func constant(_ value: Value, type: ExprType? = nil) -> Typed {
        var typed = Typed(type: type ?? ExprType(of: value), evaluator: { _ in value })
        typed.constant = value
        return typed
    }
}

/// Type-checks an `ExprNode` against an `ExpressionScope` and compiles it to closures in one pass.
/// Errors are collected, not thrown, so that every mistake in an expression is reported at once;
/// a sub-expression with an error yields nil and its parents stay silent about it.
package final class TypeChecker {
    package let source: LocatedText
    package let scope: ExpressionScope
    private let scalars: [Unicode.Scalar]
    private(set) var diagnostics: [Diagnostic] = []
    package var references = References()
    package var aggregates: [AggregateCall] = []
    package var aggregateIndexByText: [String: Int] = [:]
    /// The aggregate whose argument is being checked, if any.
    package var enclosingAggregate: String?

    package init(source: LocatedText, scope: ExpressionScope) {
        self.source = source
        self.scope = scope
        self.scalars = Array(source.text.unicodeScalars)
    }

    package func error(_ message: String, at offset: Int, hint: String) {
        diagnostics.append(Diagnostic(message, at: source.location(at: offset), hint: hint.isEmpty ? nil : hint))
    }

    /// The text the user wrote for `node`.
    package func text(of node: ExprNode) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[node.range.clamped(to: 0..<scalars.count)])
        return String(view)
    }

    package func check(_ node: ExprNode) -> Typed? {
        switch node.kind {
        case .literal(let value): return .constant(value)
        case .name(let name): return resolve(name, at: node.offset)
        case .call(let name, let arguments): return checkCall(name, arguments, node)
        case .negate(let operand): return checkNegate(operand, node)
        case .not(let operand): return checkNot(operand, node)
        case .binary(let op, let left, let right): return checkBinary(op, left, right, node)
        case .inList(let operand, let list, let negated): return checkIn(operand, list, negated: negated, node)
        case .isNull(let operand, let negated): return checkIsNull(operand, negated: negated)
        }
    }

    /// An evaluator built from `inputs`; computed now when every input is a constant.
    package func folded(_ type: ExprType, _ inputs: [Typed], _ evaluator: @escaping Evaluator) -> Typed {
        guard inputs.allSatisfy({ $0.constant != nil }) else { return Typed(type: type, evaluator: evaluator) }
        return .constant(evaluator(EvalContext(asOf: Day(daysSinceEpoch: 0))), type: type)
    }

    package func isBareField(_ node: ExprNode) -> Bool {
        if case .name(let name) = node.kind, name != "as_of", scope.fields[name] != nil { return true }
        return false
    }

    // MARK: names

    private func resolve(_ name: String, at offset: Int) -> Typed? {
        if name == "as_of" { return Typed(type: .date, evaluator: { .date($0.asOf) }) }
        if let field = scope.fields[name] {
            references.fields.insert(name)
            if field.personal { references.usesPersonalField = true }
            if scope.allowAggregates && enclosingAggregate == nil {
                error(
                    "field '\(name)' must be inside an aggregate such as count(…) or sum(…)", at: offset,
                    hint: "a KPI's value summarises many records, e.g. count_distinct(\(name)); "
                        + "to split by it use group_by")
                return nil
            }
            let index = field.index
            return Typed(
                type: ExprType(field.type), evaluator: { $0.row.indices.contains(index) ? $0.row[index] : .null })
        }
        if let variable = scope.variables[name] {
            let slot = variable.slot
            return Typed(type: variable.type, evaluator: { $0.slots.indices.contains(slot) ? $0.slots[slot] : .null })
        }
        if name.hasPrefix("kpi.") { return resolveKPI(String(name.dropFirst(4)), at: offset) }
        if name.hasPrefix("benchmark.") { return resolveBenchmark(String(name.dropFirst(10)), at: offset) }
        if name.contains(".") {
            error("unknown name '\(name)'", at: offset, hint: "dotted names start with 'kpi.' or 'benchmark.'")
            return nil
        }
        error("unknown field '\(name)'", at: offset, hint: unknownNameHint(name))
        return nil
    }

    private func unknownNameHint(_ name: String) -> String {
        if let keyword = Keyword(rawValue: name.lowercased()) {
            return "keywords are lower case: did you mean '\(keyword.rawValue)'?"
        }
        let candidates = Array(scope.fields.keys) + Array(scope.variables.keys) + ["as_of"]
        if nearestName(to: name, in: candidates) == nil, TypeChecker.isFunctionName(name) {
            return "'\(name)' is a function: write \(name)(…)"
        }
        return suggestion(for: name, in: candidates, noun: "fields")
    }

    private func resolveKPI(_ id: String, at offset: Int) -> Typed? {
        guard id != scope.ownKPI, let slot = scope.kpis[id] else {
            let others = scope.kpis.keys.filter { $0 != scope.ownKPI }
            let hint = suggestion(for: "kpi.\(id)", in: others.map { "kpi.\($0)" }, noun: "KPIs")
            error("unknown KPI 'kpi.\(id)'", at: offset, hint: hint.isEmpty ? "no KPI can be referenced here" : hint)
            return nil
        }
        if !references.kpis.contains(id) { references.kpis.append(id) }
        return Typed(type: .number, evaluator: { $0.slots.indices.contains(slot) ? $0.slots[slot] : .null })
    }

    private func resolveBenchmark(_ name: String, at offset: Int) -> Typed? {
        if BenchmarkList.items(name, in: scope.benchmarks) != nil {
            error(
                "benchmark 'benchmark.\(name)' is a list of codes, not a value", at: offset,
                hint: "test a field against it: 'x in [benchmark.\(name)]'")
            return nil
        }
        guard let value = scope.benchmarks[name] else {
            let candidates = scope.benchmarks.keys.map { "benchmark.\($0)" }
            let hint = suggestion(for: "benchmark.\(name)", in: candidates, noun: "benchmarks")
            error(
                "unknown benchmark 'benchmark.\(name)'", at: offset,
                hint: hint.isEmpty ? "declare it in a benchmarks file listed in kpiwatch.yaml" : hint)
            return nil
        }
        if !references.benchmarks.contains(name) { references.benchmarks.append(name) }
        return .constant(value)
    }

    // MARK: calls

    package static func isFunctionName(_ name: String) -> Bool {
        ScalarFunction(rawValue: name) != nil || AggregateKind(rawValue: name) != nil || name == "forecast"
            || name == breachProbabilityName
    }

    private func checkCall(_ name: String, _ arguments: [ExprNode], _ node: ExprNode) -> Typed? {
        if let kind = AggregateKind(rawValue: name) { return checkAggregate(kind, arguments, node) }
        if name == "forecast" { return checkForecast(arguments, node) }
        if name == Self.breachProbabilityName { return checkBreachProbability(arguments, node) }
        if let function = ScalarFunction(rawValue: name) { return checkFunction(function, arguments, node) }
        if name == TemplatePlural.name {
            error(
                "plural(…) is only allowed as a whole placeholder of a message", at: node.offset,
                hint: "write it in braces of its own, e.g. {plural(count, \"plan\", \"plans\")}")
            return nil
        }
        var candidates = ScalarFunction.allCases.map(\.rawValue)
        if scope.allowAggregates { candidates += AggregateKind.allCases.map(\.rawValue) }
        if scope.allowForecast { candidates.append("forecast") }
        if !scope.forecasts.isEmpty { candidates.append(Self.breachProbabilityName) }
        error(
            "unknown function '\(name)'", at: node.offset,
            hint: suggestion(for: name, in: candidates, noun: "functions"))
        for argument in arguments { _ = check(argument) }
        return nil
    }

    /// Checks `arguments.count` against a function's arity, reporting `NAME takes 2 arguments, got 1`.
    package func checkArity(_ name: String, _ arity: ClosedRange<Int>, _ count: Int, _ node: ExprNode, hint: String)
        -> Bool
    {
        if arity.contains(count) { return true }
        let takes: String
        if arity.upperBound == Int.max {
            takes = "at least \(arity.lowerBound) argument\(arity.lowerBound == 1 ? "" : "s")"
        } else if arity.count == 1 {
            takes = "\(arity.lowerBound) argument\(arity.lowerBound == 1 ? "" : "s")"
        } else if arity.count == 2 {
            takes = "\(arity.lowerBound) or \(arity.upperBound) arguments"
        } else {
            takes = "\(arity.lowerBound) to \(arity.upperBound) arguments"
        }
        error("\(name) takes \(takes), got \(count)", at: node.offset, hint: hint)
        return false
    }

    private func checkForecast(_ arguments: [ExprNode], _ node: ExprNode) -> Typed? {
        let typed = arguments.map { check($0) }
        guard scope.allowForecast else {
            error(
                "forecast(…) is only allowed in a KPI's thresholds", at: node.offset,
                hint: "use it in a threshold, e.g. forecast(date(\"2024-03-31\")) < 70")
            return nil
        }
        let hint = "forecast(d): the value the KPI's trend line reaches on date d"
        guard checkArity("forecast", 1...1, arguments.count, node, hint: hint), let argument = typed[0] else {
            return nil
        }
        guard argument.type.fits(.date) else {
            error("forecast needs a date as argument 1; got \(argument.type)", at: arguments[0].offset, hint: hint)
            return nil
        }
        let day = argument.evaluator
        return Typed(type: .number) { context in
            guard case .date(let date) = day(context), let forecast = context.forecast else { return .null }
            return forecast(date)
        }
    }
}
