import Foundation
import Testing

@testable import KPIWatchEngine

/// rules/send/demand.yaml over Fixtures/pack/demand (35 requests, North and South alternately) as of
/// 28 February 2025, and over Fixtures/pack/plans (active plans, table in PackAnnualReviewsTests) as of 1 March 2024.
///
/// Requests: 14/03/2023 N; 05/12/2023 S; 2024: 10/01 N, 20/01 S, 31/01 N, 14/02 S, 29/02 N, then the 3rd (North)
/// and 17th (South) of every month March–December (20); 2025: 02/01 N, 15/01 S, 28/01 N, 31/01 S, 03/02 N, 18/02 S,
/// 28/02 N, 01/03 S (after the as-of date). Population aged 0–24 (common/population.csv): ages 0, 4, 5, 16, 24
/// = 900 + 900 + 900 + 1,200 + 600 = 4,500; the 777 aged 25 are left out.
@Suite struct PackDemandTests {
    static let demandKPIs = [
        "requests_per_month", "requests_12m", "population_0_24", "request_rate_0_24", "requests_ytd",
        "requests_same_period_last_year", "requests_growth", "requests_projected_year",
    ]

    func evaluate(asOf: String = "2025-02-28") throws -> Evaluation {
        try PackFixture.evaluate("demand", asOf: asOf, only: Self.demandKPIs)
    }

    @Test func requestsPerMonthByTeam() throws {
        let evaluation = try evaluate()
        let series = evaluation.values(of: "requests_per_month")
        // history: 24 → March 2023 to February 2025.
        #expect(series.count == 24)
        #expect(series.first?.period == "2023-03")
        #expect(series.first?.value == 1)
        // February 2024: 14/02 and the leap day 29/02 = 2. January 2025: 4. February 2025: 03/02, 18/02, 28/02 = 3
        // (01/03/2025 is after the as-of date).
        #expect(evaluation.value("requests_per_month", period: "2024-02")?.value == 2)
        #expect(evaluation.value("requests_per_month", period: "2025-01")?.value == 4)
        #expect(evaluation.current("requests_per_month")?.value == 3)
        #expect(evaluation.current("requests_per_month", group: ["team": "North"])?.value == 2)
        #expect(evaluation.current("requests_per_month", group: ["team": "South"])?.value == 1)
        // A team with no request in a month has no value there: South's first request is in December 2023.
        #expect(evaluation.value("requests_per_month", period: "2023-03", group: ["team": "South"])?.state == .noData)
    }

    @Test func requestsInTheTwelveMonthsToTheEndOfFebruaryLeaveOutTheLeapDayBefore() throws {
        let evaluation = try evaluate()
        // 12 months to 28/02/2025 = 01/03/2024–28/02/2025: 20 (Mar–Dec 2024) + 4 (Jan) + 3 (Feb) = 27.
        // 29/02/2024 belongs to the February a year before; counting it would make 13 months' worth of days.
        let requests = try #require(evaluation.current("requests_12m"))
        #expect(requests.period == "12 months to 2025-02-28")
        #expect(requests.value == 27)
    }

    @Test func requestRateIsRequestsOverThePopulationAgedNoughtToTwentyFour() throws {
        let evaluation = try evaluate()
        #expect(evaluation.current("population_0_24")?.value == 4_500)
        #expect(evaluation.current("population_0_24")?.count == 5)
        // 100 × 27 ÷ 4,500 = 0.6% > 0.58% (Devon's statistical neighbours, 2021, rules/benchmarks.yaml) → warning.
        // Each benchmark is quoted with its year: England's 0.90% is 2024's.
        let rate = try #require(evaluation.current("request_rate_0_24"))
        #expect(rounded(rate.value, 4) == 0.6)
        #expect(rate.count == nil)
        #expect(rate.state == .warning)
        #expect(
            evaluation.alert("request_rate_0_24")?.message
                == "0.60% of the 0-24 population requested an assessment in the 12 months to 2025-02-28 "
                + "(statistical neighbours 0.58% in 2021; England 0.90% in 2024)"
        )
    }

    @Test func yearToDateAgainstTheSamePeriodLastYearIncludesTheLeapDay() throws {
        let evaluation = try evaluate()
        // 2025 YTD, 01/01–28/02/2025: 4 + 3 = 7. Last year's span runs to the end of February 2024, leap day
        // included: 10/01, 20/01, 31/01, 14/02, 29/02 = 5.
        let ytd = evaluation.values(of: "requests_ytd")
        #expect(ytd.map(\.period) == ["2024 YTD", "2025 YTD"])
        #expect(ytd.map(\.value) == [5, 7])
        // The same span found by moving each request a year on: 29/02/2024 + 12 months = 28/02/2025 → 5 as well.
        #expect(evaluation.current("requests_same_period_last_year")?.value == 5)
        // Growth 100 × (7 − 5) ÷ 5 = 40% > 10% planning assumption → warning.
        let growth = try #require(evaluation.current("requests_growth"))
        #expect(growth.value == 40)
        #expect(growth.state == .warning)
        #expect(
            evaluation.alert("requests_growth")?.message
                == "Requests for assessment changed by 40.0% on the same period last year "
                + "(2025 YTD; planning assumption 10.0%)"
        )
    }

    @Test func growthOnAYearWithNoRequestsHasNoValue() throws {
        let evaluation = try evaluate(asOf: "2024-02-29")
        // 2024 YTD to the leap day: 10/01, 20/01, 31/01, 14/02, 29/02 = 5; 01/01–28/02/2023 had none.
        #expect(evaluation.current("requests_ytd")?.value == 5)
        #expect(evaluation.current("requests_same_period_last_year")?.value == 0)
        // 100 × (5 − 0) ÷ 0: division by zero is no value, not an error.
        let growth = try #require(evaluation.current("requests_growth"))
        #expect(growth.value == nil)
        #expect(growth.state == .noData)
        #expect(evaluation.alert("requests_growth") == nil)
        // 12 months to 29/02/2024 = 01/03/2023–29/02/2024: 14/03/2023, 05/12/2023 and 2024's 5 = 7.
        #expect(evaluation.current("requests_12m")?.value == 7)
    }

    @Test func projectionScalesTheYearSoFarToTheWholeYear() throws {
        let evaluation = try evaluate()
        // 2025: 7 requests in 59 days (01/01–28/02) → 7 × 365 ÷ 59 = 43.31.
        #expect(rounded(evaluation.current("requests_projected_year")?.value, 2) == 43.31)
        // 2024 is complete: its 25 requests × 366 ÷ 366 = 25.
        #expect(evaluation.value("requests_projected_year", period: "2024")?.value == 25)
        // On the leap day 2024: 5 requests in 60 days → 5 × 366 ÷ 60 = 30.5.
        let leapDay = try evaluate(asOf: "2024-02-29")
        #expect(leapDay.current("requests_projected_year")?.value == 30.5)
    }

    @Test func activePlansYearOnYearByTeam() throws {
        let evaluation = try PackFixture.evaluate(
            "plans", asOf: "2024-03-01", only: ["active_plans", "active_plans_year_ago", "active_plans_growth"])
        // Active 01/03/2024: 10 (North 4, South 6). A year earlier, 01/03/2023: PL-01 … PL-07 (PL-05 started that
        // day), PL-09, 10, 11, 12 = 11; North 01, 02, 06, 07, 09, 11 = 6; South 03, 04, 05, 10, 12 = 5.
        #expect(evaluation.current("active_plans")?.value == 10)
        #expect(evaluation.current("active_plans_year_ago")?.value == 11)
        #expect(evaluation.current("active_plans_year_ago", group: ["team": "North"])?.value == 6)
        // Overall 100 × (10 − 11) ÷ 11 = −9.09%; North 100 × (4 − 6) ÷ 6 = −33.3%; both ok.
        #expect(rounded(evaluation.current("active_plans_growth")?.value, 2) == -9.09)
        #expect(evaluation.current("active_plans_growth")?.state == .ok)
        #expect(rounded(evaluation.current("active_plans_growth", group: ["team": "North"])?.value, 1) == -33.3)
        // South 100 × (6 − 5) ÷ 5 = 20% > 10% → warning.
        let south = try #require(evaluation.current("active_plans_growth", group: ["team": "South"]))
        #expect(south.value == 20)
        #expect(south.state == .warning)
        #expect(
            evaluation.alert("active_plans_growth", group: ["team": "South"])?.message
                == "South: active EHC plans changed by 20.0% in the 12 months to 2024-03-01 (planning assumption 10.0%)"
        )
        // Active plans at the month ends before: 30/11/2023 11 (PL-09 still active), 31/12/2023 10 (PL-09 ceased that
        // day), 31/01/2024 10, 29/02/2024 11 (PL-08 started 15/02; PL-07 ceases 01/03).
        let series = evaluation.values(of: "active_plans")
        #expect(series.count == 13)
        #expect(series.suffix(5).map(\.value) == [11, 10, 10, 11, 10])
    }
}
