@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchExpressions

/// The expression language end to end: lexer, parser, type checker and constant folding, then
/// evaluation over a few rows (nulls, ordinary values, extremes). The first byte picks the scope
/// (a where/date expression, a KPI value with aggregates, a threshold, or a message template)
/// and the expected result type; the rest is the text as it would appear in a rule file.
public enum ExpressionTarget {
    static let origin = TextOrigin(file: "rules/fuzz.yaml", line: 12, column: 14, continuationColumn: 6)

    static let fields: [String: ExpressionScope.Field] = [
        "request_date": .init(type: .date, index: 0),
        "final_plan_date": .init(type: .date, index: 1),
        "exception": .init(type: .string, index: 2),
        "team": .init(type: .string, index: 3),
        "weeks": .init(type: .int, index: 4),
        "score": .init(type: .number, index: 5),
        "active": .init(type: .bool, index: 6),
        "child_name": .init(type: .string, index: 7, personal: true),
    ]

    static let rows: [[Value]] = [
        Array(repeating: .null, count: 8),
        [
            .date(Day(iso: "2023-01-31")!), .date(Day(iso: "2023-06-30")!), .string("Late"), .string("North"),
            .int(20), .number(59.9), .bool(true), .string("Alex Example"),
        ],
        [
            .date(Day(iso: "0001-01-01")!), .date(Day(iso: "9999-12-31")!), .string(""), .string("\u{301}é"),
            .int(Int.max), .number(-1e308), .bool(false), .string(""),
        ],
    ]

    static let rowScope = ExpressionScope(
        fields: fields, variables: ["value": .init(type: .number, slot: 0)],
        kpis: ["requests_12m": 1, "population_0_24": 2],
        benchmarks: ["national_20w": .number(59.9), "statutory_start": .date(Day(iso: "2014-09-01")!)])
    static let aggregateScope = ExpressionScope(
        fields: fields, kpis: ["requests_12m": 1], benchmarks: ["national_20w": .number(59.9)], allowAggregates: true)
    static let thresholdScope = RuleCompiler.thresholdScope(
        groupTypes: ["team", "weeks"], types: ["team": .string, "weeks": .int],
        benchmarks: ["national_20w": .number(59.9), "statutory_start": .date(Day(iso: "2014-09-01")!)])
    static let expectations: [ExprType?] = [nil, .bool, .date, .number, .string, .int]

    public static func run(_ input: FuzzInput) {
        let (choice, rest) = input.choice()
        let source = LocatedText(String(decoding: rest, as: UTF8.self), origin: origin)
        let expecting = expectations[Int(choice >> 2) % expectations.count]
        switch choice & 3 {
        case 0: compileAndEvaluate(source, scope: rowScope, expecting: expecting)
        case 1: compileAndEvaluate(source, scope: aggregateScope, expecting: expecting)
        case 2: compileAndEvaluate(source, scope: thresholdScope, expecting: expecting)
        default:
            do {
                _ = try RuleCompiler.compileTemplate(source, scope: thresholdScope, special: RuleCompiler.messageNames)
            } catch {
                Oracle.expectDiagnostic(error, from: "a message template")
            }
        }
    }

    static func compileAndEvaluate(_ source: LocatedText, scope: ExpressionScope, expecting: ExprType?) {
        let compiled: (expression: CompiledExpression, aggregates: [AggregateCall])
        do {
            compiled = try ExpressionCompiler.compile(source, in: scope, expecting: expecting)
        } catch {
            Oracle.expectDiagnostic(error, from: "an expression")
            return
        }
        let slots = (0..<16).map { slot in sample(slot) }
        for row in rows {
            let context = EvalContext(
                row: row, asOf: Day(iso: "2023-06-30")!, slots: slots,
                aggregates: Array(repeating: .null, count: compiled.aggregates.count))
            context.forecast = { _ in .number(42) }
            // Aggregates are evaluated per row before the value is (KPIAccumulation does the same).
            for aggregate in compiled.aggregates { _ = aggregate.argument?.evaluate(context) }
            _ = compiled.expression.evaluate(context).description
        }
    }

    /// A value for a variable slot, of the type the scopes give that slot.
    static func sample(_ slot: Int) -> Value {
        let types = ThresholdVariable.allCases.map(\.type) + [.string, .int]
        let type = slot < types.count ? types[slot] : .number
        switch type {
        case .int: return .int(slot * 7)
        case .string: return .string("North")
        default: return .number(Double(slot) * 1.5)
        }
    }
}
