import KPIWatchCore

/// `breach_probability("ID")`: the chance, from the project's forecast ID, that the record's statutory
/// clock passes its deadline before it stops (docs/forecasts.md); null for a record the forecast does
/// not cover or that is not open on the as-of date.
package enum ForecastFunction {
    /// The function's name, which the engine also looks for to know which rules need a forecast trained.
    package static let breachProbability = "breach_probability"
}

extension TypeChecker {
    static let breachProbabilityName = ForecastFunction.breachProbability

    func checkBreachProbability(_ arguments: [ExprNode], _ node: ExprNode) -> Typed? {
        let name = Self.breachProbabilityName
        let hint = "\(name)(\"ID\"): the chance that the record's clock passes the deadline of forecast ID"
        guard checkArity(name, 1...1, arguments.count, node, hint: hint) else { return nil }
        guard case .literal(.string(let id)) = arguments[0].kind else {
            error(
                "\(name) needs a forecast id written as text", at: arguments[0].offset,
                hint: "e.g. \(name)(\"time_to_plan\"), naming a forecast of a rule file's forecasts:")
            return nil
        }
        guard !scope.fields.isEmpty else {
            error(
                "\(name)(…) needs a record: use it in the where, value or message of a rule over a dataset",
                at: node.offset, hint: hint)
            return nil
        }
        guard let reference = scope.forecasts[id] else {
            error(
                "unknown forecast '\(id)'", at: arguments[0].offset,
                hint: scope.forecasts.isEmpty
                    ? "declare it in a rule file's forecasts: list (docs/forecasts.md)"
                    : suggestion(for: id, in: Array(scope.forecasts.keys), noun: "forecasts"))
            return nil
        }
        guard let slot = reference.slot else {
            error(
                "forecast '\(id)' is over dataset '\(reference.dataset)', not this rule's", at: arguments[0].offset,
                hint: "use it in a rule over '\(reference.dataset)'")
            return nil
        }
        return Typed(type: .number) { context in
            guard slot < context.forecasts.count else { return .null }
            return context.forecasts[slot].breachProbability(row: context.row, asOf: context.asOf)
        }
    }
}
