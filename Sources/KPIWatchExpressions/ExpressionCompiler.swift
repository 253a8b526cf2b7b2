import KPIWatchCore

/// The entry point of the expression language (RULES.md §3): parse, type-check and compile.
public enum ExpressionCompiler {
    /// Parses and type-checks `source` in `scope`. `expecting` (e.g. `.bool` for where/thresholds, `.date`
    /// for `date:`) makes a wrong result type an error (an int is accepted where a number is expected).
    /// With `scope.allowAggregates`, the aggregates found are returned (identical calls once) and the
    /// compiled expression reads their results from `context.aggregates[i]`.
    /// Throws `Diagnostics` holding every error found, each located at the offending token.
    public static func compile(_ source: LocatedText, in scope: ExpressionScope, expecting: ExprType? = nil)
        throws -> (expression: CompiledExpression, aggregates: [AggregateCall])
    {
        let node = try parse(source)
        let checker = TypeChecker(source: source, scope: scope)
        let typed = checker.check(node)
        if let typed, let expecting, !typed.type.fits(expecting) {
            let (message, hint) = mismatch(typed.type, expecting)
            checker.error(message, at: node.range.lowerBound, hint: hint)
        }
        guard let typed, checker.diagnostics.isEmpty else { throw Diagnostics(checker.diagnostics) }
        let expression = CompiledExpression(
            type: typed.type, text: source.text, evaluator: typed.evaluator, references: checker.references,
            isBareField: checker.isBareField(node))
        return (expression, checker.aggregates)
    }

    /// Parse only (syntax errors), for tooling.
    public static func parse(_ source: LocatedText) throws -> ExprNode {
        try Parser.parse(source)
    }

    private static func mismatch(_ actual: ExprType, _ expected: ExprType) -> (String, String) {
        switch expected {
        case .bool:
            return (
                "expected a condition (true or false), got \(actual)",
                "compare the value, e.g. 'x > 0' or 'x is not null'"
            )
        case .date:
            return (
                "expected a date, got \(actual)",
                actual == .string
                    ? "turn text into a date with date(\"2023-01-31\")"
                    : "use a date field or a date function such as add_days(d, n)"
            )
        case .int, .number:
            return ("expected a number, got \(actual)", "use a count, an amount or arithmetic on them")
        case .string:
            return ("expected a string, got \(actual)", "use a text field or \"text\"")
        case .null:
            return ("expected null, got \(actual)", "")
        }
    }
}
