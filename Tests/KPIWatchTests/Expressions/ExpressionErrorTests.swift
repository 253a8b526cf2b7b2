import Testing

@testable import KPIWatchCore
@testable import KPIWatchExpressions

/// Every error names the file, line and column of the offending token; the expression starts at
/// rules/x.yaml:7:12, so offset 5 is column 17.
@Suite struct ExpressionErrorTests {
    typealias F = ExpressionFixture

    private func single(
        _ text: String, scope: ExpressionScope = F.scope, expecting: ExprType? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> Diagnostic? {
        let errors = F.errors(text, scope: scope, expecting: expecting)
        #expect(errors.count == 1, "\(errors)", sourceLocation: sourceLocation)
        return errors.first
    }

    @Test func reportsAnUnknownFieldWithTheNearestName() {
        let error = single("12 + recieved")
        #expect(error?.message == "unknown field 'recieved'")
        #expect(error?.hint == "did you mean 'received'?")
        #expect(error?.location?.description == "rules/x.yaml:7:17")
        #expect(error?.description == "rules/x.yaml:7:17: error: unknown field 'recieved'; did you mean 'received'?")
    }

    @Test func reportsEveryUnknownFieldNotOnlyTheFirst() {
        let errors = F.errors("recieved is null and teem == 'North'")
        #expect(errors.map(\.message) == ["unknown field 'recieved'", "unknown field 'teem'"])
        #expect(errors.map { $0.location?.description } == ["rules/x.yaml:7:12", "rules/x.yaml:7:33"])
        #expect(errors.last?.hint == "did you mean 'team'?")
    }

    @Test func reportsAnUnknownFunctionWithTheNearestName() {
        let error = single("1 + dayz_between(request_date, as_of)")
        #expect(error?.message == "unknown function 'dayz_between'")
        #expect(error?.hint == "did you mean 'days_between'?")
        #expect(error?.location?.description == "rules/x.yaml:7:16")
    }

    @Test func reportsUnknownKPIsAndBenchmarks() {
        let kpi = single("value + kpi.request_12m")
        #expect(kpi?.message == "unknown KPI 'kpi.request_12m'")
        #expect(kpi?.hint == "did you mean 'kpi.requests_12m'?")
        #expect(kpi?.location?.description == "rules/x.yaml:7:20")
        let benchmark = single("value < benchmark.national_timeliness")
        #expect(benchmark?.message == "unknown benchmark 'benchmark.national_timeliness'")
        #expect(benchmark?.hint == "did you mean 'benchmark.national_timeliness_20w'?")
        #expect(benchmark?.location?.description == "rules/x.yaml:7:20")
    }

    @Test func reportsAWrongArgumentCount() {
        let error = single("1 + days_between(request_date)")
        #expect(error?.message == "days_between takes 2 arguments, got 1")
        #expect(error?.location?.description == "rules/x.yaml:7:16")
        #expect(error?.hint == "days_between(a, b): the days from date a to date b")
        #expect(single("round(1, 2, 3)")?.message == "round takes 1 or 2 arguments, got 3")
        #expect(single("coalesce(team)")?.message == "coalesce takes at least 2 arguments, got 1")
        #expect(single("year()")?.message == "year takes 1 argument, got 0")
    }

    @Test func reportsATypeMismatchAtTheOperator() {
        let error = single("final_plan_date < 140")
        #expect(error?.message == "'<' needs two numbers, two dates or two strings; got date and int")
        #expect(error?.location?.description == "rules/x.yaml:7:28")
        #expect(error?.hint == "count the days between two dates with days_between(a, b)")
        #expect(single("team == 3")?.message == "'==' needs two values of the same type; got string and int")
        #expect(
            single("request_date + 7")?.hint == "use add_days(d, n), add_weeks(d, n) or add_months(d, n) to move a date"
        )
        #expect(single("as_of - request_date")?.hint == "use days_between(a, b) for the days from a to b")
        #expect(single("weeks and true")?.message == "'and' needs two conditions; got int and bool")
        #expect(
            single("active < true")?.message == "'<' needs two numbers, two dates or two strings; got bool and bool")
        #expect(single("team in ['a', 1]")?.location?.description == "rules/x.yaml:7:26")
    }

    @Test func reportsAFunctionArgumentOfTheWrongType() {
        let error = single("weeks_between(team, as_of)")
        #expect(error?.message == "weeks_between needs a date as argument 1; got string")
        #expect(error?.location?.description == "rules/x.yaml:7:26")
        #expect(single("add_days(as_of, 1.5)")?.message == "add_days needs an int as argument 2; got number")
        #expect(single("coalesce(team, as_of)")?.message == "coalesce needs arguments of one type; got string and date")
    }

    @Test func reportsAComparisonWithNull() {
        let error = single("exception == null")
        #expect(error?.message == "a comparison with null is always false")
        #expect(error?.hint == "test for a missing value with 'x is null' or 'x is not null'")
        #expect(error?.location?.description == "rules/x.yaml:7:22")
    }

    @Test func reportsAnInvalidDateLiteral() {
        let error = single(#"as_of > date("2023-02-30")"#)
        #expect(error?.message == "'2023-02-30' is not a valid date")
        #expect(error?.location?.description == "rules/x.yaml:7:25")
    }

    @Test func reportsAFieldOutsideAnAggregate() {
        let error = single("count() + team", scope: F.aggregateScope)
        #expect(error?.message == "field 'team' must be inside an aggregate such as count(…) or sum(…)")
        #expect(error?.location?.description == "rules/x.yaml:7:22")
    }

    @Test func reportsAnAggregateWhereNoneIsAllowed() {
        let error = single("1 + count(team is null)")
        #expect(error?.message == "aggregates such as count(…) are only allowed in a KPI's value")
        #expect(error?.location?.description == "rules/x.yaml:7:16")
        #expect(single("min(weeks, 3)")?.hint == "for the smallest of several values use min_of(…)")
    }

    @Test func reportsAnAggregateInsideAnAggregate() {
        let error = single("sum(count())", scope: F.aggregateScope)
        #expect(error?.message == "an aggregate cannot be inside another aggregate: 'count' inside 'sum'")
        #expect(error?.location?.description == "rules/x.yaml:7:16")
    }

    @Test func reportsBadAggregateArguments() {
        let percentile = single("percentile(score, score)", scope: F.aggregateScope)
        #expect(percentile?.message == "percentile needs p written as a number from 0 to 100")
        #expect(percentile?.location?.description == "rules/x.yaml:7:30")
        #expect(single("percent(weeks)", scope: F.aggregateScope)?.message == "percent needs a condition; got int")
        #expect(single("sum(team)", scope: F.aggregateScope)?.message == "sum needs a number; got string")
    }

    @Test func reportsForecastOutsideThresholds() {
        #expect(single("forecast(as_of) < 70")?.message == "forecast(…) is only allowed in a KPI's thresholds")
        let thresholds = ExpressionScope(allowForecast: true)
        let forecast = try? ExpressionCompiler.compile(
            F.located(#"forecast(date("2024-03-31")) < 70"#), in: thresholds, expecting: .bool
        ).expression
        let context = F.context()
        context.forecast = { day in .number(day == Day(iso: "2024-03-31")! ? 65 : 90) }
        #expect(forecast?.isTrue(context) == true)
    }

    @Test func reportsAWrongResultType() {
        let error = single("1 + weeks", expecting: .bool)
        #expect(error?.message == "expected a condition (true or false), got int")
        #expect(error?.location?.description == "rules/x.yaml:7:12")
        #expect(single("team", expecting: .date)?.hint == "turn text into a date with date(\"2023-01-31\")")
    }

    @Test func reportsSyntaxErrorsWithWhatWasExpected() {
        let unclosed = single("days_between(request_date, as_of")
        #expect(unclosed?.message == "expected ')' after arguments of days_between")
        #expect(unclosed?.location?.description == "rules/x.yaml:7:44")
        let assignment = single("team = 'North'")
        #expect(assignment?.message == "unexpected '='; did you mean '=='?")
        #expect(assignment?.location?.description == "rules/x.yaml:7:17")
        let string = single("team == \"North")
        #expect(string?.message == "unterminated string")
        #expect(string?.location?.description == "rules/x.yaml:7:20")
        let trailing = single("team == 'a' 'b'")
        #expect(trailing?.message == "unexpected ''b'' after a complete expression")
        #expect(trailing?.location?.description == "rules/x.yaml:7:24")
        let keyword = single("active AND true")
        #expect(keyword?.hint == "keywords are lower case: did you mean 'and'?")
        #expect(single("1 < weeks < 3")?.message == "comparisons cannot be chained")
        #expect(single("weeks +")?.message == "expected a value after '+', found end of expression")
        #expect(single("(weeks + 1")?.message == "expected ')' to close the '(' at rules/x.yaml:7:12")
        #expect(single("team in 'North'")?.message == "expected '[' after 'in'")
        #expect(single("team is 'x'")?.message == "expected 'null' or 'not null' after 'is'")
        #expect(single("")?.message == "empty expression")
        #expect(single("weeks # 2")?.message == "unexpected character '#'")
    }

    @Test func locatesErrorsOnContinuationLinesOfABlockScalar() {
        let origin = TextOrigin(file: "rules/x.yaml", line: 7, column: 12, continuationColumn: 5)
        let errors = F.errors("final_plan_date is null\n  and recieved is null", origin: origin)
        #expect(errors.map { $0.location?.description } == ["rules/x.yaml:8:11"])
    }
}
