import Testing

@testable import KPIWatchExpressions

@Suite struct ExpressionAggregateTests {
    typealias F = ExpressionFixture

    private func compile(_ text: String) throws -> (expression: CompiledExpression, aggregates: [AggregateCall]) {
        try ExpressionCompiler.compile(F.located(text), in: F.aggregateScope)
    }

    @Test func extractsAggregatesAndReadsTheirResults() throws {
        let (expression, aggregates) = try compile("100 * count(exception is null) / count()")
        #expect(aggregates.count == 2)
        #expect(aggregates.map(\.kind) == [.count, .count])
        #expect(aggregates[0].text == "count(exception is null)")
        #expect(aggregates[0].argument?.text == "exception is null")
        #expect(aggregates[0].argument?.type == .bool)
        #expect(aggregates[1].text == "count()")
        #expect(aggregates[1].argument == nil)
        #expect(expression.type == .number)
        #expect(expression.referencedFields == ["exception"])

        let context = F.context()
        context.aggregates = [.int(3), .int(4)]
        #expect(expression.evaluate(context) == .number(75))
        context.aggregates = [.int(0), .int(0)]
        #expect(expression.evaluate(context) == .null)
    }

    @Test func aggregateArgumentsEvaluatePerRecord() throws {
        let (expression, aggregates) = try compile("percent(days_between(request_date, final_plan_date) <= 140)")
        #expect(expression.type == .number)
        let call = try #require(aggregates.first)
        #expect(call.kind == .percent)
        #expect(call.text == "percent(days_between(request_date, final_plan_date) <= 140)")
        let condition = try #require(call.argument)
        #expect(condition.referencedFields == ["request_date", "final_plan_date"])
        #expect(condition.isTrue(F.context(F.row(request: "2023-01-01", finalPlan: "2023-05-21"))))
        #expect(!condition.isTrue(F.context(F.row(request: "2023-01-01", finalPlan: "2023-05-22"))))
        #expect(!condition.isTrue(F.context(F.row(request: "2023-01-01"))))
    }

    @Test func typesAggregateResults() throws {
        let cases: [(String, ExprType)] = [
            ("count()", .int), ("count_distinct(team)", .int), ("percent(active)", .number), ("sum(weeks)", .int),
            ("sum(score)", .number), ("avg(weeks)", .number), ("median(weeks)", .number),
            ("percentile(score, 90)", .number), ("min(request_date)", .date), ("max(weeks)", .int),
            ("max(score)", .number),
        ]
        for (text, type) in cases {
            #expect(try compile(text).expression.type == type, "\(text)")
        }
    }

    @Test func keepsThePercentileParameter() throws {
        let (_, aggregates) = try compile("percentile(days_between(request_date, final_plan_date), 90)")
        #expect(aggregates.first?.kind == .percentile)
        #expect(aggregates.first?.parameter == 90)
        #expect(aggregates.first?.argument?.type == .int)
    }

    @Test func listsARepeatedAggregateOnce() throws {
        let (expression, aggregates) = try compile("sum(weeks) / count() + sum(weeks)")
        #expect(aggregates.map(\.text) == ["sum(weeks)", "count()"])
        let context = F.context()
        context.aggregates = [.int(10), .int(5)]
        #expect(expression.evaluate(context) == .number(12))
    }

    @Test func allowsArithmeticOverAggregatesWithConstants() throws {
        let (expression, aggregates) = try compile("round(avg(score) * 7, 1)")
        #expect(aggregates.count == 1)
        let context = F.context()
        context.aggregates = [.number(2.25)]
        #expect(expression.evaluate(context) == .number(15.8))
    }
}
