import Testing

@testable import KPIWatchCore

@Suite struct ExpressionEvaluationTests {
    typealias F = ExpressionFixture

    @Test func divisionIsAlwaysReal() throws {
        #expect(try F.evaluate("7 / 2") == .number(3.5))
        #expect(try F.compile("7 / 2").type == .number)
        #expect(try F.evaluate("6 / 3") == .number(2))
    }

    @Test func divisionByZeroIsNull() throws {
        #expect(try F.evaluate("1 / 0") == .null)
        #expect(try F.evaluate("weeks / 0.0", F.context(F.row(weeks: 4))) == .null)
        #expect(try F.evaluate("weeks / (weeks - 4)", F.context(F.row(weeks: 4))) == .null)
    }

    @Test func intArithmeticStaysIntAndMixingMakesNumber() throws {
        #expect(try F.evaluate("1 + 2 * 3") == .int(7))
        #expect(try F.compile("weeks * 2 - 1").type == .int)
        #expect(try F.evaluate("2 + 3.5") == .number(5.5))
        #expect(try F.evaluate("weeks + score", F.context(F.row(weeks: 2, score: 0.5))) == .number(2.5))
        #expect(try F.compile("weeks + score").type == .number)
        #expect(try F.evaluate("-weeks", F.context(F.row(weeks: 2))) == .int(-2))
    }

    @Test func nullPropagatesThroughArithmetic() throws {
        let context = F.context(F.row())
        #expect(try F.evaluate("weeks + 1", context) == .null)
        #expect(try F.evaluate("score * 2", context) == .null)
        #expect(try F.evaluate("-weeks", context) == .null)
        #expect(try F.evaluate("1 + null") == .null)
    }

    @Test func comparisonWithNullIsFalse() throws {
        let context = F.context(F.row())
        for text in [
            "weeks > 3", "weeks <= 3", "weeks == 3", "weeks != 3", "team in [\"North\"]",
            "team not in [\"North\"]", "request_date < as_of",
        ] {
            #expect(try F.evaluate(text, context) == .bool(false), "\(text)")
        }
        #expect(try F.evaluate("not (weeks > 3)", context) == .bool(true))
    }

    @Test func isNullTestsForMissingValues() throws {
        let missing = F.context(F.row())
        let present = F.context(F.row(exception: "Holiday"))
        #expect(try F.evaluate("exception is null", missing) == .bool(true))
        #expect(try F.evaluate("exception is not null", missing) == .bool(false))
        #expect(try F.evaluate("exception is null", present) == .bool(false))
        #expect(try F.evaluate("exception is not null", present) == .bool(true))
    }

    @Test func logicIsThreeValued() throws {
        let context = F.context(F.row())  // active is null
        #expect(try F.evaluate("active and false", context) == .bool(false))
        #expect(try F.evaluate("false and active", context) == .bool(false))
        #expect(try F.evaluate("active and true", context) == .null)
        #expect(try F.evaluate("active or true", context) == .bool(true))
        #expect(try F.evaluate("true or active", context) == .bool(true))
        #expect(try F.evaluate("active or false", context) == .null)
        #expect(try F.evaluate("not active", context) == .null)
        #expect(try F.evaluate("true and not false") == .bool(true))
    }

    @Test func nullConditionCountsAsFalse() throws {
        let condition = try F.compile("active and true", expecting: .bool)
        #expect(condition.isTrue(F.context(F.row())) == false)
        #expect(condition.isTrue(F.context(F.row(active: true))) == true)
        #expect(condition.isTrue(F.context(F.row(active: false))) == false)
    }

    @Test func comparesIntsWithNumbersNumerically() throws {
        let context = F.context(F.row(weeks: 3, score: 3.0))
        #expect(try F.evaluate("weeks == score", context) == .bool(true))
        #expect(try F.evaluate("weeks < 3.5", context) == .bool(true))
        #expect(try F.evaluate("weeks in [1.0, 3.0]", context) == .bool(true))
    }

    @Test func comparesStringsInByteOrderAndDatesByDay() throws {
        #expect(try F.evaluate(#""B" < "a""#) == .bool(true))
        #expect(try F.evaluate(#""é" > "z""#) == .bool(true))
        #expect(try F.evaluate(#""North" == 'North'"#) == .bool(true))
        let context = F.context(F.row(request: "2023-01-10", finalPlan: "2023-05-30"))
        #expect(try F.evaluate("request_date < final_plan_date", context) == .bool(true))
        #expect(try F.evaluate("final_plan_date >= as_of", context) == .bool(false))
        #expect(try F.evaluate(#"request_date == date("2023-01-10")"#, context) == .bool(true))
        #expect(try F.evaluate("true != false") == .bool(true))
    }

    @Test func testsListMembership() throws {
        let north = F.context(F.row(team: "North"))
        #expect(try F.evaluate(#"team in ["North", "South"]"#, north) == .bool(true))
        #expect(try F.evaluate(#"team not in ["North", "South"]"#, north) == .bool(false))
        #expect(try F.evaluate(#"team in ["East"]"#, north) == .bool(false))
        #expect(try F.evaluate(#"team not in ["East"]"#, north) == .bool(true))
        #expect(
            try F.evaluate(#"team in [lower("NORTH"), upper(team)]"#, F.context(F.row(team: "WEST"))) == .bool(true))
        #expect(try F.evaluate("team in []", north) == .bool(false))
    }

    @Test func readsAsOfVariablesKPIsAndBenchmarks() throws {
        let context = F.context(asOf: "2023-06-30", slots: [.number(71.5), .number(120), .number(20000)])
        #expect(try F.evaluate("as_of", context) == F.date("2023-06-30"))
        #expect(try F.evaluate("value < benchmark.national_timeliness_20w", context) == .bool(false))
        #expect(try F.evaluate("100 * kpi.requests_12m / kpi.population_0_24", context) == .number(0.6))
        #expect(try F.evaluate("benchmark.statutory_start < as_of", context) == .bool(true))
    }

    @Test func reportsWhatTheExpressionUses() throws {
        let expression = try F.compile(
            "child_name is not null and kpi.population_0_24 > kpi.requests_12m + kpi.population_0_24 "
                + "and value > benchmark.national_timeliness_20w")
        #expect(expression.referencedFields == ["child_name"])
        #expect(expression.referencedKPIs == ["population_0_24", "requests_12m"])
        #expect(expression.referencedBenchmarks == ["national_timeliness_20w"])
        #expect(expression.usesPersonalField)
        #expect(expression.isBareField == false)
        #expect(expression.type == .bool)
        #expect(expression.text.hasPrefix("child_name is not null"))

        let bare = try F.compile("team")
        #expect(bare.isBareField)
        #expect(bare.type == .string)
        #expect(bare.usesPersonalField == false)
        #expect(try F.compile("as_of").isBareField == false)
    }

    @Test func acceptsAnIntWhereANumberIsExpected() throws {
        #expect(try F.compile("weeks", expecting: .number).type == .int)
        #expect(try F.compile("final_plan_date", expecting: .date).type == .date)
    }

    @Test func evaluatesOneCompiledExpressionOverManyRows() throws {
        let expression = try F.compile("days_between(request_date, final_plan_date) <= 140 and exception is null")
        let context = F.context()
        var holds = 0
        for day in 0..<400 {
            context.row = F.row(request: "2023-01-01", finalPlan: Day(iso: "2023-01-01")!.adding(days: day).iso)
            if expression.isTrue(context) { holds += 1 }
        }
        #expect(holds == 141)
    }
}
