@testable import KPIWatchCore
@testable import KPIWatchExpressions

/// A dataset like the assessments export, shared by the expression tests.
enum ExpressionFixture {
    static let origin = TextOrigin(file: "rules/x.yaml", line: 7, column: 12)

    static let fields: [String: ExpressionScope.Field] = [
        "request_date": .init(type: .date, index: 0),
        "final_plan_date": .init(type: .date, index: 1),
        "exception": .init(type: .string, index: 2),
        "team": .init(type: .string, index: 3),
        "received": .init(type: .date, index: 4),
        "child_name": .init(type: .string, index: 5, personal: true),
        "weeks": .init(type: .int, index: 6),
        "score": .init(type: .number, index: 7),
        "active": .init(type: .bool, index: 8),
    ]

    static let scope = ExpressionScope(
        fields: fields, variables: ["value": .init(type: .number, slot: 0)],
        kpis: ["requests_12m": 1, "population_0_24": 2],
        benchmarks: ["national_timeliness_20w": .number(59.9), "statutory_start": .date(Day(iso: "2014-09-01")!)])

    static let aggregateScope = ExpressionScope(fields: fields, allowAggregates: true)

    static func located(_ text: String, origin: TextOrigin = origin) -> LocatedText {
        LocatedText(text, origin: origin)
    }

    /// One record; unnamed fields are null.
    static func row(
        request: String? = nil, finalPlan: String? = nil, exception: String? = nil, team: String? = nil,
        weeks: Int? = nil, score: Double? = nil, active: Bool? = nil
    ) -> [Value] {
        [
            request.map { .date(Day(iso: $0)!) } ?? .null,
            finalPlan.map { .date(Day(iso: $0)!) } ?? .null,
            exception.map(Value.string) ?? .null,
            team.map(Value.string) ?? .null,
            .null,
            .string("Alex Example"),
            weeks.map(Value.int) ?? .null,
            score.map(Value.number) ?? .null,
            active.map(Value.bool) ?? .null,
        ]
    }

    static func context(_ row: [Value] = row(), asOf: String = "2023-06-30", slots: [Value] = []) -> EvalContext {
        EvalContext(row: row, asOf: Day(iso: asOf)!, slots: slots)
    }

    static func compile(_ text: String, scope: ExpressionScope = scope, expecting: ExprType? = nil) throws
        -> CompiledExpression
    {
        try ExpressionCompiler.compile(located(text), in: scope, expecting: expecting).expression
    }

    static func evaluate(_ text: String, _ context: EvalContext = context()) throws -> Value {
        try compile(text).evaluate(context)
    }

    /// The diagnostics compiling `text` throws (empty when it compiles).
    static func errors(
        _ text: String, scope: ExpressionScope = scope, expecting: ExprType? = nil, origin: TextOrigin = origin
    ) -> [Diagnostic] {
        do {
            _ = try ExpressionCompiler.compile(located(text, origin: origin), in: scope, expecting: expecting)
            return []
        } catch let diagnostics as Diagnostics {
            return diagnostics.items
        } catch {
            return [Diagnostic("unexpected error \(error)")]
        }
    }

    static func date(_ iso: String) -> Value { .date(Day(iso: iso)!) }
}
