import Foundation
import Testing

@testable import KPIWatchEngine

/// rules/send/annual_reviews.yaml over Fixtures/pack/plans, as of Friday 1 March 2024 (the day after a leap day).
/// The statutory duty (Children and Families Act 2014 s.44(1)): a review in the period of 12 months starting with
/// the plan's start, then with the last review. Twelve months starting with D end the day before add_months(D, 12),
/// so the review is overdue from add_months(D, 12) — for every age. Under-5s' 6-monthly reviews are the Code of
/// Practice's guidance, a KPI of its own.
///
/// | plan  | team  | born       | start      | last review | overdue from | decision   | ceased     |
/// |-------|-------|------------|------------|-------------|--------------|------------|------------|
/// | PL-01 | North | 01/09/2019 | 31/08/2022 | 31/08/2023  | 31/08/2024   | 05/09/2023 |            |
/// | PL-02 | North | 10/01/2019 | 15/06/2022 | 15/06/2023  | 15/06/2024   | 13/07/2023 |            |
/// | PL-03 | South | 01/06/2018 | 15/06/2022 | 15/06/2023  | 15/06/2024   | 14/07/2023 |            |
/// | PL-04 | South | 05/05/2011 | 20/02/2023 |             | 20/02/2024   |            |            |
/// | PL-05 | South | 07/07/2013 | 01/03/2023 |             | 01/03/2024   |            |            |
/// | PL-06 | North | 02/02/2009 | 10/01/2019 | 10/01/2022  | 10/01/2023   | 20/01/2022 |            |
/// | PL-07 | North | 01/01/2005 | 05/05/2020 | 05/05/2022  | 05/05/2023   | 20/05/2022 | 01/03/2024 |
/// | PL-08 | South | 01/01/2012 | 15/02/2024 |             | 15/02/2025   |            |            |
/// | PL-09 | North | 04/04/2004 | 01/09/2018 | 01/09/2023  | 01/09/2024   | 10/09/2023 | 31/12/2023 |
/// | PL-10 | South | 10/10/2010 | 31/01/2021 | 31/01/2024  | 31/01/2025   | 20/02/2023 |            |
/// | PL-11 | North | 02/02/2014 | 02/02/2020 | 02/02/2024  | 02/02/2025   |            |            |
/// | PL-12 | South | 03/03/2015 | 25/01/2020 | 25/01/2024  | 25/01/2025   | 05/03/2024 |            |
///
/// Active on 01/03/2024: all but PL-07 (ceased that day) and PL-09 = 10; North 01, 02, 06, 11; South 03, 04, 05,
/// 08, 10, 12. PL-10's decision (20/02/2023) predates its latest meeting: it answered the previous review.
@Suite struct PackAnnualReviewsTests {
    static let kpis = [
        "reviews_overdue", "reviews_overdue_share", "reviews_overdue_over_12m", "reviews_under_5_six_monthly",
        "review_decisions_within_4w", "review_decisions_outstanding", "reviews_due_next_4_weeks",
        "reviews_due_this_term",
    ]

    func evaluate(asOf: String = "2024-03-01") throws -> Evaluation {
        try PackFixture.evaluate("plans", asOf: asOf, only: Self.kpis)
    }

    @Test func overdueReviewsCountActivePlansPastTheirTwelveMonths() throws {
        let evaluation = try evaluate()
        // Overdue on 01/03/2024: PL-04 (from 20/02), PL-05 (from 01/03: its 12 months starting with 01/03/2023
        // ended on 29/02/2024), PL-06 (from 10/01/2023) = 3. PL-01 and PL-02 were under 5 at their last review,
        // but the statutory 12 months apply to every age: not overdue. PL-07 ceased on the day.
        let overdue = try #require(evaluation.current("reviews_overdue"))
        #expect(overdue.value == 3)
        #expect(overdue.count == 3)
        #expect(overdue.state == .warning)
        #expect(evaluation.current("reviews_overdue", group: ["team": "North"])?.value == 1)
        #expect(evaluation.current("reviews_overdue", group: ["team": "South"])?.value == 2)
        #expect(
            evaluation.alert("reviews_overdue", group: ["team": "South"])?.message
                == "South: 2 active plans have an overdue annual review on 2024-03-01")
    }

    @Test func aReviewIsOverdueTheDayAfterItsTwelveMonthsEnd() throws {
        // PL-05 started 01/03/2023: the 12 months starting with that day end on 29/02/2024.
        let leapDay = try evaluate(asOf: "2024-02-29")
        // On 29/02/2024: PL-04, PL-06 and PL-07 (active until 01/03, overdue from 05/05/2023) = 3, not PL-05.
        #expect(leapDay.current("reviews_overdue")?.value == 3)
        #expect(leapDay.current("reviews_overdue", group: ["team": "South"])?.value == 1)
        let nextDay = try evaluate()
        #expect(nextDay.current("reviews_overdue", group: ["team": "South"])?.value == 2)
    }

    @Test func noHistoryBecauseAnExportHoldsOnlyTheLastReview() throws {
        // Month-end history would judge past dates by today's last-review date and miss plans reviewed since.
        for id in ["reviews_overdue", "reviews_overdue_share", "reviews_overdue_over_12m"] {
            #expect(try evaluate().values(of: id).map(\.period) == ["2024-03-01"], "\(id)")
        }
    }

    @Test func shareOverdueIsCriticalOverallAndSuppressedForASmallTeam() throws {
        let evaluation = try evaluate()
        // 100 × 3 ÷ 10 active = 30% > 25% → critical; the count is the 10 active plans (the denominator).
        let share = try #require(evaluation.current("reviews_overdue_share"))
        #expect(share.value == 30)
        #expect(share.count == 10)
        #expect(share.state == .critical)
        // North 1 of 4 = 25%, but 4 plans < min_count 5 → suppressed; South 2 of 6 = 33.3% > 25% → critical.
        let north = try #require(evaluation.current("reviews_overdue_share", group: ["team": "North"]))
        #expect(north.value == 25)
        #expect(north.state == .suppressed)
        let south = try #require(evaluation.current("reviews_overdue_share", group: ["team": "South"]))
        #expect(rounded(south.value, 1) == 33.3)
        #expect(south.state == .critical)
    }

    @Test func reviewsOverdueForTwelveMonthsOrMoreAreCritical() throws {
        let evaluation = try evaluate()
        // PL-06: last review 10/01/2022, + 24 months = 10/01/2024 <= 01/03/2024 → 1, critical. PL-04 reaches it
        // on 20/02/2025.
        let backlog = try #require(evaluation.current("reviews_overdue_over_12m"))
        #expect(backlog.value == 1)
        #expect(backlog.state == .critical)
        #expect(try evaluate(asOf: "2024-01-09").current("reviews_overdue_over_12m")?.value == 0)
        #expect(try evaluate(asOf: "2024-01-10").current("reviews_overdue_over_12m")?.value == 1)
        #expect(
            evaluation.alert("reviews_overdue_over_12m", group: ["team": "North"])?.message
                == "North: 1 annual review has been overdue for 12 months or more on 2024-03-01")
    }

    @Test func underFivesWithoutASixMonthlyReviewAreCountedApartAndNeverAlert() throws {
        // Under 5 on 01/03/2024: PL-01 only (born 01/09/2019; PL-02 turned 5 on 10/01/2024). Its last review was
        // 31/08/2023; + 6 months = 29/02/2024 (31 August + 6 months ends a leap February) → counted from 29/02.
        #expect(try evaluate(asOf: "2024-02-28").current("reviews_under_5_six_monthly")?.value == 0)
        let leapDay = try evaluate(asOf: "2024-02-29")
        let result = try #require(leapDay.current("reviews_under_5_six_monthly"))
        #expect(result.value == 1)
        #expect(leapDay.current("reviews_under_5_six_monthly", group: ["team": "North"])?.value == 1)
        // Guidance, not a statutory breach: no threshold, so no alert, and not in reviews_overdue (3 on 29/02).
        #expect(result.state == .ok)
        #expect(leapDay.alerts.allSatisfy { $0.rule != "reviews_under_5_six_monthly" })
    }

    @Test func decisionsWithinFourWeeksCountDayTwentyEightAsInTime() throws {
        let evaluation = try evaluate()
        // By month of the decision: July 2023 PL-02 (15/06 → 13/07 = 28 days, in time) and PL-03 (29 days, late)
        // → 50%, 2 < 5 suppressed. September 2023: PL-01 (5 days) → 100%. PL-12's decision of 05/03/2024 is after
        // the as-of date: March has none.
        let july = try #require(evaluation.value("review_decisions_within_4w", period: "2023-07"))
        #expect(july.value == 50)
        #expect(july.count == 2)
        #expect(july.state == .suppressed)
        #expect(evaluation.value("review_decisions_within_4w", period: "2023-09")?.value == 100)
        #expect(evaluation.current("review_decisions_within_4w")?.state == .noData)
    }

    @Test func aDecisionDatedBeforeTheLatestMeetingLeavesThatReviewUndecided() throws {
        let evaluation = try evaluate()
        // No decision for the latest meeting by 01/03/2024, more than 28 days on: PL-10 (meeting 31/01, 30 days;
        // its decision of 20/02/2023 answered the previous review) and PL-12 (25/01, 36 days; decided on 05/03,
        // after the date). PL-11 (02/02, 28 days) is still in time → 2, both South.
        let outstanding = try #require(evaluation.current("review_decisions_outstanding"))
        #expect(outstanding.value == 2)
        #expect(outstanding.count == 2)
        #expect(outstanding.state == .warning)
        #expect(evaluation.current("review_decisions_outstanding", group: ["team": "North"]) == nil)
        #expect(
            evaluation.alert("review_decisions_outstanding", group: ["team": "South"])?.message
                == "South: 2 review decisions are more than 4 weeks past the meeting on 2024-03-01")
    }

    @Test func reviewsFallingDueInTheNextFourWeeksAndThisTerm() throws {
        // On 20/05/2024: PL-02 and PL-03 become overdue on 15/06/2024 (within 28 days, by 17/06) → 2, both before
        // the summer term ends (31 July). PL-01 becomes overdue on 31/08/2024: its last day, 30/08, is in the summer
        // holiday, so the next (autumn) term's. Overdue plans (PL-04, 05, 06) are not "due".
        let may = try evaluate(asOf: "2024-05-20")
        #expect(may.current("reviews_due_next_4_weeks")?.value == 2)
        #expect(may.current("reviews_due_this_term")?.value == 2)
        #expect(may.current("reviews_due_next_4_weeks", group: ["team": "North"])?.value == 1)
        // On 15/08/2024 the term runs to 31 December: PL-01 (last day 30/08) is due within 4 weeks and this term;
        // PL-02 and PL-03 are overdue by then, and PL-10's last day (30/01/2025) is next year.
        let august = try evaluate(asOf: "2024-08-15")
        #expect(august.current("reviews_due_next_4_weeks")?.value == 1)
        #expect(august.current("reviews_due_this_term")?.value == 1)
    }
}
