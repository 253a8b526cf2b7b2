import Testing

@testable import KPIWatchEngine

/// Threshold conditions over value, previous, change, history aggregates, trend, forecast, count and group fields.
/// Monthly counts by opening date: December 1 (hidden), January 1, February 3, March 1.
@Suite struct ThresholdTests {
    func states(_ thresholds: String, groupBy: String = "") throws -> Evaluation {
        let rules = "kpis:\n" + monthlyCount("m", "    thresholds:\n" + thresholds + groupBy)
        return try EngineFixture(rules: rules).evaluate()
    }

    @Test func previousIsTheValueOfThePeriodBefore() throws {
        // previous: January ← December 1, February ← 1, March ← 3.
        let evaluation = try states("      warning: previous == 3\n")
        #expect(evaluation.values(of: "m").map(\.state) == [.ok, .ok, .warning])
        #expect(evaluation.values(of: "m").map(\.previous) == [1, 1, 3])
    }

    @Test func changeIsValueMinusPrevious() throws {
        // change: 0, +2, −2.
        let evaluation = try states("      critical: change >= 2\n")
        #expect(evaluation.values(of: "m").map(\.state) == [.ok, .critical, .ok])
    }

    @Test func historyAggregatesCoverTheShownPeriodsUpToEachOne() throws {
        // January [1]: 1 < max 1 is false; February [1, 3]: 3 is not the min; March [1, 3, 1]: 1 is the min, below max 3.
        let evaluation = try states("      warning: value == min_of_history and value < max_of_history\n")
        #expect(evaluation.values(of: "m").map(\.state) == [.ok, .ok, .warning])
        let average = try states("      warning: avg_of_history > 1.5\n")
        // avg: January 1; February (1 + 3) / 2 = 2; March 5 / 3 ≈ 1.67.
        #expect(average.values(of: "m").map(\.state) == [.ok, .warning, .warning])
    }

    @Test func trendIsTheLeastSquaresSlopePerPeriod() throws {
        // January: one point, no slope. February: (1, 3) rises 2 a month. March: (1, 3, 1) has slope 0.
        let evaluation = try states("      critical: trend > 1\n")
        #expect(evaluation.values(of: "m").map(\.state) == [.ok, .critical, .ok])
    }

    @Test func forecastReadsTheTrendLineAtADate() throws {
        // March: flat line at 5/3 ≈ 1.67, so its value on 30 June is below 2. February's line y = 3 + 2(x + 1),
        // read 3 months after March's end (x = 3), gives 11. January has no line: the condition is false.
        let evaluation = try states("      warning: forecast(benchmark.target_date) < 2\n")
        #expect(evaluation.values(of: "m").map(\.state) == [.ok, .ok, .warning])
    }

    @Test func countAndGroupFieldsCanBeUsedInConditions() throws {
        // North opened C2 and C6 in February: count 2. The overall value has no team, so the condition is false.
        let evaluation = try states(
            "      critical: team == \"North\" and count >= 2\n", groupBy: "    group_by: [team]\n")
        #expect(evaluation.values(of: "m", group: ["team": "North"]).map(\.state) == [.ok, .critical, .noData])
        #expect(evaluation.values(of: "m").map(\.state) == [.ok, .ok, .ok])
    }

    @Test func thresholdsAreCheckedInOrderAndTheFirstThatHoldsWins() throws {
        let evaluation = try states("      critical: value >= 3\n      warning: value >= 1\n")
        #expect(evaluation.values(of: "m").map(\.state) == [.warning, .critical, .warning])
        #expect(evaluation.current("m")?.threshold == "value >= 1")
    }

    @Test func benchmarksCompareAsNumbers() throws {
        let evaluation = try states("      critical: value * 100 < benchmark.national\n")
        // 100 < 59.9 is false; 300 no; 100 no.
        #expect(evaluation.values(of: "m").allSatisfy { $0.state == .ok })
    }
}
