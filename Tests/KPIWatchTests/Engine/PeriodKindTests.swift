import Testing

/// RULES.md §2 "Periods", as of Friday 2024-03-15 over EngineFixture's rows.
@Suite struct PeriodKindTests {
    static func kpi(_ id: String, period: String, extra: String = "") -> String {
        """
          - id: \(id)
            dataset: cases
            date: opened
            period: \(period)
            value: count()
        \(extra)

        """
    }

    @Test func monthQuarterYearAndYearToDateCountRecordsUpToTheAsOfDate() throws {
        let fixture = EngineFixture(
            rules: "kpis:\n" + Self.kpi("m", period: "month") + Self.kpi("q", period: "quarter")
                + Self.kpi("y", period: "year") + Self.kpi("ytd", period: "year_to_date")
                + Self.kpi("r", period: "rolling_12_months"))
        let evaluation = try fixture.evaluate()
        // March to the 15th: C4 only (C7 is dated the 16th).
        #expect(evaluation.current("m")?.period == "2024-03")
        #expect(evaluation.current("m")?.value == 1)
        // Q1 2024: C1, C2, C3, C6, C4.
        #expect(evaluation.current("q")?.period == "2024-Q1")
        #expect(evaluation.current("q")?.value == 5)
        #expect(evaluation.current("y")?.period == "2024")
        #expect(evaluation.current("y")?.value == 5)
        #expect(evaluation.current("ytd")?.period == "2024 YTD")
        #expect(evaluation.current("ytd")?.value == 5)
        // 2023-03-16 .. 2024-03-15 takes C5 (20 Dec 2023) as well: 6.
        #expect(evaluation.current("r")?.period == "12 months to 2024-03-15")
        #expect(evaluation.current("r")?.value == 6)
    }

    @Test func historyListsPeriodsOldestFirstAndOnlyTheLastIsCurrent() throws {
        let fixture = EngineFixture(rules: "kpis:\n" + monthlyCount("m"))
        let series = try fixture.evaluate().values(of: "m")
        #expect(series.map(\.period) == ["2024-01", "2024-02", "2024-03"])
        #expect(series.map(\.value) == [1, 3, 1])
        #expect(series.map(\.current) == [false, false, true])
        // The period before the oldest shown one still gives it a previous value (December: C5).
        #expect(series.first?.previous == 1)
    }

    @Test func cumulativeMonthsRunFromTheStartOfTheYear() throws {
        let fixture = EngineFixture(rules: "kpis:\n" + monthlyCount("m", "    cumulative: true"))
        // January 1; January–February 1 + 3 = 4; January–March 4 + 1 = 5.
        #expect(try fixture.evaluate().values(of: "m").map(\.value) == [1, 4, 5])
    }

    @Test func aYearStartingInAprilIsLabelledAsASpanOfTwoYears() throws {
        let fixture = EngineFixture(
            rules: "kpis:\n" + Self.kpi("y", period: "year") + Self.kpi("ytd", period: "year_to_date"),
            project: "year_start: \"04-01\"")
        let evaluation = try fixture.evaluate()
        // 2023-04-01 .. 2024-03-31, up to the as-of date: C1–C6.
        #expect(evaluation.current("y")?.period == "2023/24")
        #expect(evaluation.current("y")?.value == 6)
        #expect(evaluation.current("ytd")?.period == "2023/24 YTD")
    }

    @Test func snapshotsEvaluateAsOfTheirDateAndTakeEarlierMonthEnds() throws {
        let rules = """
            kpis:
              - id: open
                dataset: cases
                date: opened
                period: snapshot
                history: 2
                value: count(closed is null or closed > as_of)

            """
        let series = try EngineFixture(rules: rules).evaluate().values(of: "open")
        // 29 Feb: C2, C3 (closes 1 March) and C6 open; C4 and C7 not yet opened.
        // 15 March: C2 and C4 (C3 closed the 1st, C6 the 14th; C7 opens the 16th).
        #expect(series.map(\.period) == ["2024-02-29", "2024-03-15"])
        #expect(series.map(\.value) == [3, 2])
    }

    @Test func allKeepsEveryRecordUnlessDated() throws {
        let rules = """
            kpis:
              - id: every
                dataset: cases
                period: all
                value: count()
              - id: dated
                dataset: cases
                date: opened
                period: all
                value: count()

            """
        let evaluation = try EngineFixture(rules: rules).evaluate()
        #expect(evaluation.current("every")?.value == 7)
        #expect(evaluation.current("every")?.period == "all")
        #expect(evaluation.current("dated")?.value == 6)
    }
}
