import Foundation
import Testing

@testable import KPIWatchEngine

/// rules/send/timeliness.yaml over Fixtures/pack/issued (19 plans issued), as of 31 July 2024.
///
/// | case  | team  | request    | final plan | days | verdict                       |
/// |-------|-------|------------|------------|------|-------------------------------|
/// | TL-01 | North | 05/01/2023 | 15/05/2023 | 130  | on time                       |
/// | TL-02 | South | 03/03/2023 | 31/07/2023 | 150  | late                          |
/// | TL-03 | South | 23/04/2023 | 01/08/2023 | 100  | on time                       |
/// | TL-04 | North | 13/08/2023 | 31/12/2023 | 140  | on time (day 140)             |
/// | TL-05 | North | 14/08/2023 | 02/01/2024 | 141  | late (day 141)                |
/// | TL-06 | North | 11/11/2023 | 29/02/2024 | 110  | on time                       |
/// | TL-07 | South | 16/12/2023 | 15/03/2024 | 90   | on time                       |
/// | TL-08 | North | 09/02/2024 | 29/06/2024 | 141  | late: 20+31+30+31+29, 29 Feb counted |
/// | TL-09 | North | 02/05/2024 | 01/07/2024 | 60   | on time                       |
/// | TL-10 | South | 15/02/2024 | 05/07/2024 | 141  | late                          |
/// | TL-11 | North | 30/03/2024 | 08/07/2024 | 100  | exception `personal_circumstances` |
/// | TL-12 | North | 23/12/2023 | 10/07/2024 | 200  | late                          |
/// | TL-13 | South | 21/02/2024 | 12/07/2024 | 142  | late                          |
/// | TL-14 | South | 19/09/2023 | 15/07/2024 | 300  | exception `Away_From_Area_4_Weeks ` (case, space ignored) |
/// | TL-15 | North | 29/02/2024 | 18/07/2024 | 140  | on time: 31+30+31+30+18       |
/// | TL-16 | North | 05/03/2024 | 22/07/2024 | 139  | on time                       |
/// | TL-17 | North | 06/02/2024 | 25/07/2024 | 170  | late                          |
/// | TL-18 | South | 01/04/2024 | 30/07/2024 | 120  | on time                       |
/// | TL-19 | South | 08/03/2024 | 31/07/2024 | 145  | late (issued on the as-of date) |
///
/// Benchmarks (rules/benchmarks.yaml, rules/targets.yaml): England 46.4% in 2024 (critical below), the example
/// target 70% (warning below); min_count 5. Every message names the benchmark's year.
@Suite struct PackTimelinessTests {
    static let asOf = "2024-07-31"
    static let timelinessKPIs = [
        "timeliness_20w", "timeliness_20w_cumulative", "timeliness_20w_ytd", "timeliness_20w_rolling_12m",
        "timeliness_20w_incl_exceptions", "plans_issued", "timeliness_trajectory",
    ]

    func evaluate(asOf: String = asOf) throws -> Evaluation {
        try PackFixture.evaluate("issued", asOf: asOf, only: Self.timelinessKPIs)
    }

    @Test func julyCountsNineNonExceptionPlansAndFourOnTimeIsCritical() throws {
        let evaluation = try evaluate()
        // July, exceptions left out: TL-09, 10, 12, 13, 15, 16, 17, 18, 19 = 9 plans;
        // on time TL-09 (60), TL-15 (140), TL-16 (139), TL-18 (120) = 4 → 100 × 4 ÷ 9 = 44.44%, below England's 46.4%.
        let july = try #require(evaluation.current("timeliness_20w"))
        #expect(july.period == "2024-07")
        #expect(july.count == 9)
        #expect(rounded(july.value, 2) == 44.44)
        #expect(july.state == .critical)
        #expect(
            evaluation.alert("timeliness_20w")?.message
                == "All: 44.4% of new plans issued within 20 weeks in 2024-07 (9 plans; England 46.4% in 2024; target 70.0%)"
        )
    }

    @Test func dayOneHundredFortyIsOnTimeAndDayOneHundredFortyOneIsLate() throws {
        let evaluation = try evaluate()
        // Months with one plan show that plan's verdict: December TL-04 at day 140 → 100%;
        // January TL-05 at day 141 → 0%. One plan is below min_count 5, so both are suppressed.
        let december = try #require(evaluation.value("timeliness_20w", period: "2023-12"))
        #expect(december.value == 100)
        #expect(december.count == 1)
        #expect(december.state == .suppressed)
        let january = try #require(evaluation.value("timeliness_20w", period: "2024-01"))
        #expect(january.value == 0)
        #expect(january.state == .suppressed)
    }

    @Test func leapYearDaysAreCountedAndARequestOnTwentyNinthFebruaryIsOnTimeAtDayOneHundredForty() throws {
        let evaluation = try evaluate()
        // TL-08: 09/02/2024 → 29/06/2024 is 20 (to 29 Feb) + 31 + 30 + 31 + 29 = 141 days: late.
        // Without 29 February it would have been 140 and on time. June has only TL-08 → 0%.
        #expect(evaluation.value("timeliness_20w", period: "2024-06")?.value == 0)
        // TL-15: requested 29/02/2024, issued 18/07/2024 = 31 + 30 + 31 + 30 + 18 = 140 days: on time.
        // North July: TL-09, 12, 15, 16, 17 → on time 09, 15, 16 = 3 of 5 = 60%; had TL-15 been late, 40%.
        #expect(evaluation.current("timeliness_20w", group: ["team": "North"])?.value == 60)
    }

    @Test func exceptionCasesAreLeftOutOfTimelinessButCountAsPlansIssued() throws {
        let evaluation = try evaluate()
        // TL-11 (100 days) and TL-14 (300 days) carry a reg. 10(4) exception: 9 plans, not 11, above.
        #expect(evaluation.current("timeliness_20w")?.count == 9)
        // Including exceptions: 11 plans, on time 4 + TL-11 = 5 → 100 × 5 ÷ 11 = 45.45%; no thresholds → ok.
        let including = try #require(evaluation.current("timeliness_20w_incl_exceptions"))
        #expect(including.count == 11)
        #expect(rounded(including.value, 2) == 45.45)
        #expect(including.state == .ok)
        // Plans issued in July: 11; North TL-09, 11, 12, 15, 16, 17 = 6; South TL-10, 13, 14, 18, 19 = 5.
        #expect(evaluation.current("plans_issued")?.value == 11)
        #expect(evaluation.current("plans_issued", group: ["team": "North"])?.value == 6)
        #expect(evaluation.current("plans_issued", group: ["team": "South"])?.value == 5)
    }

    @Test func eachTeamIsAGroupAndATeamBelowMinCountIsSuppressedWithoutAnAlert() throws {
        let evaluation = try evaluate()
        // North: 3 of 5 = 60.0%: not below England's 46.4%, below the 70% target → warning.
        let north = try #require(evaluation.current("timeliness_20w", group: ["team": "North"]))
        #expect(north.count == 5)
        #expect(north.state == .warning)
        #expect(
            evaluation.alert("timeliness_20w", group: ["team": "North"])?.message
                == "North: 60.0% of new plans issued within 20 weeks in 2024-07 (5 plans; England 46.4% in 2024; target "
                + "70.0%)"
        )
        // South: TL-10, 13, 18, 19 → TL-18 on time = 1 of 4 = 25%, but 4 < min_count 5: suppressed, no alert.
        let south = try #require(evaluation.current("timeliness_20w", group: ["team": "South"]))
        #expect(south.value == 25)
        #expect(south.count == 4)
        #expect(south.state == .suppressed)
        #expect(evaluation.alert("timeliness_20w", group: ["team": "South"]) == nil)
    }

    @Test func monthsWithNoPlansHaveNoDataAndRaiseNothing() throws {
        let evaluation = try evaluate()
        let series = evaluation.values(of: "timeliness_20w")
        // history: 12 → August 2023 to July 2024; no plan was issued in Sep–Nov 2023 or Apr–May 2024.
        #expect(series.map(\.period).first == "2023-08")
        #expect(series.count == 12)
        let empty = series.filter { $0.value == nil }.map(\.period)
        #expect(empty == ["2023-09", "2023-10", "2023-11", "2024-04", "2024-05"])
        #expect(series.filter { $0.value == nil }.allSatisfy { $0.state == .noData && $0.count == 0 })
        #expect(evaluation.alerts.filter { $0.rule == "timeliness_20w" }.count == 2)
    }

    @Test func cumulativeMonthsRunFromTheStartOfTheYear() throws {
        let evaluation = try evaluate()
        // 2023-12 covers 2023: TL-01 on, TL-02 late, TL-03 on, TL-04 on → 3 of 4 = 75%.
        #expect(evaluation.value("timeliness_20w_cumulative", period: "2023-12")?.value == 75)
        // 2024-01 starts again: TL-05 late → 0 of 1.
        #expect(evaluation.value("timeliness_20w_cumulative", period: "2024-01")?.value == 0)
        // 2024-07 covers Jan–Jul 2024: TL-05 late, TL-06 on, TL-07 on, TL-08 late, July 4 of 9 → 6 of 13 = 46.15%.
        let july = try #require(evaluation.current("timeliness_20w_cumulative"))
        #expect(july.count == 13)
        #expect(rounded(july.value, 2) == 46.15)
        #expect(july.state == .critical)
    }

    @Test func yearToDateIsComparedWithTheSamePeriodLastYear() throws {
        let evaluation = try evaluate()
        let series = evaluation.values(of: "timeliness_20w_ytd")
        #expect(series.map(\.period) == ["2023 YTD", "2024 YTD"])
        // 2024 YTD = 01/01/2024–31/07/2024: the same 13 plans as the cumulative July, 46.15%.
        #expect(series[1].count == 13)
        #expect(rounded(series[1].value, 2) == 46.15)
        // 2023 YTD = 01/01/2023–31/07/2023: TL-01 on time and TL-02, issued on 31/07/2023 itself, late → 50%.
        #expect(series[0].count == 2)
        #expect(series[0].value == 50)
        #expect(series[1].previous == 50)
        #expect(
            evaluation.alert("timeliness_20w_ytd")?.message
                == "2024 YTD: 46.2% of new plans issued within 20 weeks (13 plans; 50.0% the same time last year; England "
                + "46.4% in 2024)")
    }

    @Test func rollingTwelveMonthsAtAMonthEndIsTwelveWholeMonths() throws {
        let evaluation = try evaluate()
        // 12 months to 31/07/2024 = 01/08/2023–31/07/2024: TL-03 (issued 01/08/2023) to TL-19, less exceptions:
        // TL-03…TL-08 (6: on time 03, 04, 06, 07) + July's 9 (4 on time) = 15 plans, 8 on time → 53.33%.
        let current = try #require(evaluation.current("timeliness_20w_rolling_12m"))
        #expect(current.period == "12 months to 2024-07-31")
        #expect(current.count == 15)
        #expect(rounded(current.value, 2) == 53.33)
        // Above England's 46.4% (2024), below the 70% target → warning.
        #expect(current.state == .warning)
        // North: TL-04 on, 05 late, 06 on, 08 late + July 3 of 5 → 5 of 9 = 55.56%.
        #expect(rounded(evaluation.current("timeliness_20w_rolling_12m", group: ["team": "North"])?.value, 2) == 55.56)
        // South: TL-03 on, 07 on + July 1 of 4 → 3 of 6 = 50%.
        #expect(evaluation.current("timeliness_20w_rolling_12m", group: ["team": "South"])?.value == 50)
        // The window before ends at the end of June: 01/07/2023–30/06/2024 takes in TL-02 (31/07/2023):
        // TL-02…TL-08 = 7 plans, on time 03, 04, 06, 07 = 4 → 57.14%.
        let june = try #require(evaluation.value("timeliness_20w_rolling_12m", period: "12 months to 2024-06-30"))
        #expect(june.count == 7)
        #expect(rounded(june.value, 2) == 57.14)
    }

    @Test func rollingTwelveMonthsToTwentyNinthFebruaryStartsOnFirstMarch() throws {
        let evaluation = try evaluate(asOf: "2024-02-29")
        // 01/03/2023–29/02/2024: TL-01 … TL-06 (TL-06 issued on the leap day itself) = 6;
        // on time 01, 03, 04, 06 → 66.67%.
        let current = try #require(evaluation.current("timeliness_20w_rolling_12m"))
        #expect(current.period == "12 months to 2024-02-29")
        #expect(current.count == 6)
        #expect(rounded(current.value, 2) == 66.67)
        #expect(current.state == .warning)
    }

    @Test func plansIssuedAfterTheAsOfDateAreNotCounted() throws {
        let evaluation = try evaluate(asOf: "2024-07-17")
        // To 17 July: TL-09 on, TL-10 late, TL-12 late, TL-13 late (TL-11 and TL-14 are exceptions) → 1 of 4 = 25%,
        // suppressed (4 < 5). TL-15 … TL-19 are issued after the as-of date.
        let july = try #require(evaluation.current("timeliness_20w"))
        #expect(july.count == 4)
        #expect(july.value == 25)
        #expect(july.state == .suppressed)
        #expect(evaluation.current("plans_issued")?.value == 6)
    }

    @Test func decisionsWhetherToAssessAreInTimeUpToDayFortyTwo() throws {
        // Fixtures/pack/open (table in PackOpenAssessmentsTests), by month of the decision, as of 15/03/2024.
        let evaluation = try PackFixture.evaluate("open", asOf: "2024-03-15", only: ["decisions_within_6w"])
        // April 2023: OA-11 (day 40) and OA-12 (day 42, the last day in time) → 100%.
        #expect(evaluation.value("decisions_within_6w", period: "2023-04")?.value == 100)
        // December 2023: OA-06 (35), 07 (35), 08 (40), 14 (35), 15 (30) → 5 of 5 = 100%, ok at min_count 5.
        let december = try #require(evaluation.value("decisions_within_6w", period: "2023-12"))
        #expect(december.count == 5)
        #expect(december.value == 100)
        #expect(december.state == .ok)
        // January 2024: OA-04 (40) in time, OA-16's refusal on day 45 late → 50%, suppressed (2 < 5).
        let january = try #require(evaluation.value("decisions_within_6w", period: "2024-01"))
        #expect(january.value == 50)
        #expect(january.state == .suppressed)
        #expect(evaluation.value("decisions_within_6w", period: "2024-01", group: ["team": "South"])?.value == 0)
        // No decision yet in March 2024 (OA-01, 02, 03 are waiting for one): no value.
        #expect(evaluation.current("decisions_within_6w")?.state == .noData)
        #expect(evaluation.alerts.isEmpty)
    }

    @Test func trajectoryWarnsWhenTheLastSixMonthsTrendMissesTheTarget() throws {
        let evaluation = try evaluate()
        // Feb 100 (TL-06), Mar 100 (TL-07), Apr and May none, Jun 0 (TL-08), Jul 44.44, at x = −5, −4, −1, 0.
        // mean x −2.5, mean y 61.11; Sxy = −2.5×38.89 − 1.5×38.89 + 1.5×(−61.11) + 2.5×(−16.67) = −288.89; Sxx = 17
        // → slope −16.99 a month, intercept 61.11 − 16.99×2.5 = 18.63. 31/03/2027 is 32 months after 31/07/2024:
        // 18.63 − 16.99 × 32 = −525.2%, short of 70% → warning.
        let current = try #require(evaluation.current("timeliness_trajectory"))
        #expect(current.state == .warning)
        #expect(
            evaluation.alert("timeliness_trajectory")?.message
                == "On the last six months' trend (44.4% in 2024-07, -17.0 points a month) timeliness reaches "
                + "-525.2% by 2027-03-31, short of the 70.0% target"
        )
    }

    @Test func plansDueInTheMonthAreJudgedByTheirOwnDeadline() throws {
        // Surrey's measure, by the month of day 140 (request + 140 days). July 2024: TL-10 (due 04/07, issued 05/07,
        // late), TL-13 (10/07 → 12/07, late), TL-15 (18/07 → 18/07, on time), TL-16 (23/07 → 22/07, on time), TL-19
        // (26/07 → 31/07, late) = 2 of 5 = 40% → warning (70% example target). TL-09 and TL-18, issued in July, are
        // due in August and September: not yet counted. TL-11 (due in August) is an exception anyway.
        let evaluation = try PackFixture.evaluate("issued", asOf: Self.asOf, only: ["plans_due_on_time"])
        let july = try #require(evaluation.current("plans_due_on_time"))
        #expect(july.count == 5)
        #expect(july.value == 40)
        #expect(july.state == .warning)
        // June: TL-08 (due 28/06, issued 29/06) and TL-17 (25/06 → 25/07) late → 0 of 2; May: TL-07 (due 04/05,
        // issued 15/03) on time, TL-12 (11/05 → 10/07) late → 50%.
        #expect(evaluation.value("plans_due_on_time", period: "2024-06")?.value == 0)
        #expect(evaluation.value("plans_due_on_time", period: "2024-05")?.value == 50)
        // February: only TL-14 was due, an exception → no value.
        #expect(evaluation.value("plans_due_on_time", period: "2024-02")?.state == .noData)
    }

    @Test func aCaseStillOpenAtItsDeadlineCountsAsLate() throws {
        // Fixtures/pack/open as of 15/03/2024: due in March so far: OA-07 (due 15/03) and OA-08 (14/03), both open →
        // 0 of 2. OA-13 (due 05/03) was withdrawn without a plan: left out. OA-14 is due on 20/03: not yet counted.
        let evaluation = try PackFixture.evaluate("open", asOf: "2024-03-15", only: ["plans_due_on_time"])
        let march = try #require(evaluation.current("plans_due_on_time"))
        #expect(march.count == 2)
        #expect(march.value == 0)
        #expect(march.state == .suppressed)
    }
}
