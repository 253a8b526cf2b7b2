import KPIWatchCore

/// The run-time form of one expression: a tree of closures, so that evaluating a row does no
/// name lookup and builds no strings.
package typealias Evaluator = @Sendable (EvalContext) -> Value

public struct CompiledExpression: Sendable {
    public let type: ExprType
    public let text: String
    public let referencedFields: Set<String>
    /// In order of first use, unique.
    public let referencedKPIs: [String]
    /// In order of first use, unique.
    public let referencedBenchmarks: [String]
    /// Whether any personal field is used anywhere in it: its value must never reach an alert or a log.
    public let usesPersonalField: Bool
    /// The whole expression is one field name (e.g. a `date:` or a message's `{team}`).
    public let isBareField: Bool
    private let evaluator: Evaluator

    package init(
        type: ExprType, text: String, evaluator: @escaping Evaluator, references: References, isBareField: Bool
    ) {
        self.type = type
        self.text = text
        self.evaluator = evaluator
        self.referencedFields = references.fields
        self.referencedKPIs = references.kpis
        self.referencedBenchmarks = references.benchmarks
        self.usesPersonalField = references.usesPersonalField
        self.isBareField = isBareField
    }

    public func evaluate(_ context: EvalContext) -> Value { evaluator(context) }

    /// This expression's value put through `transform`, reading the same names (a message's number with its word).
    package func mapped(to type: ExprType, _ transform: @escaping @Sendable (Value) -> Value) -> CompiledExpression {
        let evaluator = self.evaluator
        let references = References(
            fields: referencedFields, kpis: referencedKPIs, benchmarks: referencedBenchmarks,
            usesPersonalField: usesPersonalField)
        return CompiledExpression(
            type: type, text: text, evaluator: { transform(evaluator($0)) }, references: references,
            isBareField: false)
    }

    /// For `where` and conditions: null and false are both false.
    public func isTrue(_ context: EvalContext) -> Bool {
        if case .bool(true) = evaluator(context) { return true }
        return false
    }
}

/// The names an expression uses, gathered while it is checked.
package struct References: Sendable {
    package var fields: Set<String> = []
    package var kpis: [String] = []
    package var benchmarks: [String] = []
    package var usesPersonalField = false

    package mutating func merge(_ other: References) {
        fields.formUnion(other.fields)
        for kpi in other.kpis where !kpis.contains(kpi) { kpis.append(kpi) }
        for benchmark in other.benchmarks where !benchmarks.contains(benchmark) { benchmarks.append(benchmark) }
        usesPersonalField = usesPersonalField || other.usesPersonalField
    }
}
