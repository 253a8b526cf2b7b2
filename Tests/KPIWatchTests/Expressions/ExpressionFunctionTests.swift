import Testing

@testable import KPIWatchCore

@Suite struct ExpressionFunctionTests {
    typealias F = ExpressionFixture

    private func days(_ from: String, _ count: Int) -> String { Day(iso: from)!.adding(days: count).iso }

    @Test func countsDaysBetweenDates() throws {
        #expect(try F.evaluate(#"days_between(date("2023-01-01"), date("2023-03-01"))"#) == .int(59))
        #expect(try F.evaluate(#"days_between(date("2024-01-01"), date("2024-03-01"))"#) == .int(60))
        #expect(try F.evaluate(#"days_between(date("2023-03-01"), date("2023-01-01"))"#) == .int(-59))
    }

    @Test func countsWholeWeeksTruncatingTowardZero() throws {
        for (count, weeks) in [(139, 19), (140, 20), (141, 20), (-8, -1), (6, 0)] {
            let text = #"weeks_between(date("2023-01-01"), date("\#(days("2023-01-01", count))"))"#
            #expect(try F.evaluate(text) == .int(weeks), "\(count) days")
        }
    }

    @Test func countsWholeMonthsAcrossMonthEnds() throws {
        let cases: [(String, String, Int)] = [
            ("2024-01-31", "2024-02-29", 1), ("2024-01-31", "2024-02-28", 0), ("2023-01-31", "2023-02-28", 1),
            ("2023-01-15", "2023-03-14", 1), ("2023-01-15", "2023-03-15", 2), ("2023-03-15", "2023-01-15", -2),
            ("2022-12-31", "2023-12-31", 12), ("2023-05-10", "2023-05-10", 0),
        ]
        for (a, b, months) in cases {
            #expect(try F.evaluate(#"months_between(date("\#(a)"), date("\#(b)"))"#) == .int(months), "\(a)→\(b)")
        }
    }

    @Test func countsAgeWithLeapDayBirthdaysOnTheTwentyEighth() throws {
        let cases: [(String, String, Int)] = [
            ("2020-02-29", "2021-02-27", 0), ("2020-02-29", "2021-02-28", 1), ("2020-02-29", "2024-02-28", 3),
            ("2020-02-29", "2024-02-29", 4), ("2010-05-10", "2023-05-09", 12), ("2010-05-10", "2023-05-10", 13),
        ]
        for (dob, on, years) in cases {
            #expect(try F.evaluate(#"age(date("\#(dob)"), date("\#(on)"))"#) == .int(years), "\(dob) on \(on)")
        }
    }

    @Test func movesDatesByDaysWeeksAndClampedMonths() throws {
        #expect(try F.evaluate(#"add_months(date("2024-01-31"), 1)"#) == F.date("2024-02-29"))
        #expect(try F.evaluate(#"add_months(date("2023-01-31"), 1)"#) == F.date("2023-02-28"))
        #expect(try F.evaluate(#"add_months(date("2024-02-29"), 12)"#) == F.date("2025-02-28"))
        #expect(try F.evaluate(#"add_months(date("2024-03-31"), -1)"#) == F.date("2024-02-29"))
        #expect(try F.evaluate(#"add_days(date("2024-02-28"), 1)"#) == F.date("2024-02-29"))
        #expect(try F.evaluate(#"add_days(date("2023-02-28"), 1)"#) == F.date("2023-03-01"))
        #expect(try F.evaluate(#"add_weeks(date("2023-12-25"), 2)"#) == F.date("2024-01-08"))
        #expect(try F.evaluate(#"add_days(date("2023-01-01"), -1)"#) == F.date("2022-12-31"))
    }

    @Test func readsDateParts() throws {
        #expect(try F.evaluate(#"year(date("2023-09-01"))"#) == .int(2023))
        #expect(try F.evaluate(#"month(date("2023-09-01"))"#) == .int(9))
        #expect(try F.evaluate(#"start_of_month(date("2024-02-10"))"#) == F.date("2024-02-01"))
        #expect(try F.evaluate(#"end_of_month(date("2024-02-10"))"#) == F.date("2024-02-29"))
        #expect(try F.evaluate(#"end_of_month(date("2023-02-10"))"#) == F.date("2023-02-28"))
        #expect(try F.evaluate(#"is_weekend(date("2026-11-22"))"#) == .bool(true))
        #expect(try F.evaluate(#"is_weekend(date("2026-11-21"))"#) == .bool(true))
        #expect(try F.evaluate(#"is_weekend(date("2026-11-23"))"#) == .bool(false))
    }

    @Test func propagatesNullThroughFunctions() throws {
        let context = F.context(F.row(request: "2023-01-01"))
        #expect(try F.evaluate("days_between(request_date, final_plan_date)", context) == .null)
        #expect(try F.evaluate("add_days(final_plan_date, 3)", context) == .null)
        #expect(try F.evaluate("lower(team)", context) == .null)
        #expect(try F.evaluate("round(score, 1)", context) == .null)
        #expect(try F.evaluate("year(final_plan_date)", context) == .null)
    }

    @Test func coalescePicksTheFirstNonNullOfOneType() throws {
        let context = F.context(F.row(weeks: 3))
        #expect(try F.evaluate("coalesce(score, weeks, 0)", context) == .number(3))
        #expect(try F.compile("coalesce(score, weeks, 0)").type == .number)
        #expect(try F.evaluate("coalesce(team, exception, 'none')", context) == .string("none"))
        #expect(try F.evaluate("coalesce(final_plan_date, as_of)", context) == F.date("2023-06-30"))
        #expect(try F.evaluate("coalesce(team, null)", context) == .null)
    }

    @Test func transformsText() throws {
        #expect(try F.evaluate(#"lower("North Team")"#) == .string("north team"))
        #expect(try F.evaluate(#"upper("North")"#) == .string("NORTH"))
        #expect(try F.evaluate("trim('  North \t')") == .string("North"))
        #expect(try F.evaluate("trim('   ')") == .string(""))
        #expect(try F.evaluate(#"contains("Case officer", "off")"#) == .bool(true))
        #expect(try F.evaluate(#"contains("Case officer", "x")"#) == .bool(false))
        #expect(try F.evaluate(#"starts_with("EHC-123", "EHC")"#) == .bool(true))
        #expect(try F.evaluate(#"starts_with("EHC-123", "123")"#) == .bool(false))
    }

    @Test func roundsHalfAwayFromZero() throws {
        #expect(try F.evaluate("round(2.5)") == .number(3))
        #expect(try F.evaluate("round(-2.5)") == .number(-3))
        #expect(try F.evaluate("round(64.70588, 1)") == .number(64.7))
        #expect(try F.evaluate("round(1.005, 2)") == .number(1.01))
        #expect(try F.evaluate("round(-0.125, 2)") == .number(-0.13))
        #expect(try F.evaluate("round(1250, -2)") == .number(1300))
        #expect(try F.evaluate("round(100 * 22 / 34, 1)") == .number(64.7))
        #expect(try F.compile("round(weeks)").type == .number)
    }

    @Test func parsesDatesFromText() throws {
        #expect(try F.evaluate(#"date("2023-01-31")"#) == F.date("2023-01-31"))
        #expect(try F.evaluate("date(team)", F.context(F.row(team: "2023-01-31"))) == F.date("2023-01-31"))
        #expect(try F.evaluate("date(team)", F.context(F.row(team: "31/01/2023"))) == .null)
        #expect(try F.evaluate("date(request_date)", F.context(F.row(request: "2023-01-31"))) == F.date("2023-01-31"))
    }

    @Test func choosesWithIf() throws {
        #expect(try F.evaluate("if(active, 1, 2)", F.context(F.row())) == .int(2))
        #expect(try F.evaluate("if(active, 1, 2)", F.context(F.row(active: true))) == .int(1))
        #expect(try F.evaluate("if(true, 1, 2.5)") == .number(1))
        #expect(try F.evaluate("if(weeks > 20, 'late', 'on time')", F.context(F.row(weeks: 21))) == .string("late"))
    }

    @Test func computesAbsFloorAndCeil() throws {
        #expect(try F.evaluate("abs(-3)") == .int(3))
        #expect(try F.evaluate("abs(-2.5)") == .number(2.5))
        #expect(try F.evaluate("floor(-2.5)") == .int(-3))
        #expect(try F.evaluate("floor(2.9)") == .int(2))
        #expect(try F.evaluate("ceil(2.1)") == .int(3))
        #expect(try F.evaluate("ceil(7)") == .int(7))
        #expect(try F.compile("floor(score)").type == .int)
    }

    @Test func picksExtremesSkippingNulls() throws {
        let context = F.context(F.row(request: "2023-01-10", weeks: 4))
        #expect(try F.evaluate("min_of(weeks, score, 9)", context) == .number(4))
        #expect(try F.evaluate("max_of(weeks, 2)", context) == .int(4))
        #expect(try F.evaluate("max_of(request_date, final_plan_date)", context) == F.date("2023-01-10"))
        #expect(try F.evaluate("min_of(final_plan_date, received)", context) == .null)
        #expect(try F.evaluate("min_of('b', 'a')") == .string("a"))
    }
}
