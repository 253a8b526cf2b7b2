import Foundation
import Testing

@testable import KPIWatch

/// rules/send/annual_reviews.yaml over Fixtures/pack/plans, as of Friday 1 March 2024 (the day after a leap day).
/// A review falls due 12 months after the last review (or the plan's start), 6 months if the child was under 5
/// at that review.
///
/// | plan  | team  | born       | start      | last review | age then | due        | decision   | ceased     |
/// |-------|-------|------------|------------|-------------|----------|------------|------------|------------|
/// | PL-01 | North | 01/09/2019 | 31/08/2022 | 31/08/2023  | 3        | 29/02/2024 | 05/09/2023 |            |
/// | PL-02 | North | 10/01/2019 | 15/06/2022 | 15/06/2023  | 4        | 15/12/2023 | 13/07/2023 |            |
/// | PL-03 | South | 01/06/2018 | 15/06/2022 | 15/06/2023  | 5        | 15/06/2024 | 14/07/2023 |            |
/// | PL-04 | South | 05/05/2011 | 20/02/2023 |             | 11       | 20/02/2024 |            |            |
/// | PL-05 | South | 07/07/2013 | 01/03/2023 |             | 9        | 01/03/2024 |            |            |
/// | PL-06 | North | 02/02/2009 | 10/01/2019 | 10/01/2022  | 12       | 10/01/2023 | 20/01/2022 |            |
/// | PL-07 | North | 01/01/2005 | 05/05/2020 | 05/05/2022  | 17       | 05/05/2023 | 20/05/2022 | 01/03/2024 |
/// | PL-08 | South | 01/01/2012 | 15/02/2024 |             | 12       | 15/02/2025 |            |            |
/// | PL-09 | North | 04/04/2004 | 01/09/2018 | 01/09/2023  | 19       | 01/09/2024 | 10/09/2023 | 31/12/2023 |
/// | PL-10 | South | 10/10/2010 | 31/01/2021 | 31/01/2024  | 13       | 31/01/2025 |            |            |
/// | PL-11 | North | 02/02/2014 | 02/02/2020 | 02/02/2024  | 10       | 02/02/2025 |            |            |
/// | PL-12 | South | 03/03/2015 | 25/01/2020 | 25/01/2024  | 8        | 25/01/2025 | 05/03/2024 |            |
///
/// Active on 01/03/2024: all but PL-07 (ceased that day) and PL-09 = 10; North 01, 02, 06, 11; South 03, 04, 05,
/// 08, 10, 12.
@Suite struct PackAnnualReviewsTests {
    static let kpis = [
        "reviews_overdue", "reviews_overdue_share", "reviews_overdue_over_12m", "review_decisions_within_4w",
        "review_decisions_outstanding",
    ]

    func evaluate(asOf: String = "2024-03-01") throws -> Evaluation {
        try PackFixture.evaluate("plans", asOf: asOf, only: Self.kpis)
    }

    @Test func overdueReviewsCountActivePlansWhoseReviewFellDueBeforeTheDate() throws {
        let evaluation = try evaluate()
        // Due before 01/03/2024: PL-01 (29/02), PL-02 (15/12/2023), PL-04 (20/02), PL-06 (10/01/2023) = 4.
        // PL-05 falls due on the day itself (not yet overdue); PL-07 ceased on the day, so it is not active.
        let overdue = try #require(evaluation.current("reviews_overdue"))
        #expect(overdue.value == 4)
        #expect(overdue.count == 10)
        #expect(overdue.state == .warning)
        #expect(evaluation.current("reviews_overdue", group: ["team": "North"])?.value == 3)
        #expect(evaluation.current("reviews_overdue", group: ["team": "South"])?.value == 1)
        #expect(
            evaluation.alert("reviews_overdue", group: ["team": "North"])?.message
                == "North: 3 active plans have an overdue annual review on 2024-03-01")
    }

    @Test func aChildUnderFiveIsReviewedEverySixMonthsByTheirAgeAtTheLastReview() throws {
        // PL-01: aged 3 at the review of 31/08/2023 → due 6 months later, 29/02/2024 (31 August + 6 months is the
        // end of a leap February): not overdue on 29/02, overdue on 01/03.
        // PL-02: aged 4 at the review of 15/06/2023 → due 15/12/2023; turning 5 on 10/01/2024 does not move it.
        // PL-03: turned 5 on 01/06/2023, a fortnight before the review of 15/06/2023 → 12 months, due 15/06/2024.
        let leapDay = try evaluate(asOf: "2024-02-29")
        // On 29/02/2024: PL-02, PL-04 (20/02), PL-06, and PL-07 (active until 01/03, due 05/05/2023) = 4, not PL-01.
        #expect(leapDay.current("reviews_overdue")?.value == 4)
        #expect(leapDay.current("reviews_overdue", group: ["team": "North"])?.value == 3)
        let nextDay = try evaluate()
        // On 01/03/2024: PL-07 has ceased and PL-01 has become overdue: North PL-01, 02, 06 = 3; South PL-04 only.
        #expect(nextDay.current("reviews_overdue", group: ["team": "North"])?.value == 3)
        #expect(nextDay.current("reviews_overdue", group: ["team": "South"])?.value == 1)
    }

    @Test func snapshotHistoryFollowsTheMonthEnds() throws {
        let evaluation = try evaluate()
        let series = evaluation.values(of: "reviews_overdue")
        #expect(series.count == 12)
        #expect(series.suffix(3).map(\.period) == ["2024-01-31", "2024-02-29", "2024-03-01"])
        // 31/01/2024: PL-02 (15/12), PL-06, PL-07 = 3 (PL-04 falls due 20/02, PL-01 on 29/02).
        // 29/02/2024: + PL-04 = 4; 01/03/2024: + PL-01 − PL-07 = 4.
        #expect(series.suffix(3).map(\.value) == [3, 4, 4])
        // Active plans behind each: 31/01 PL-01…07, 10, 11, 12 = 10; 29/02 + PL-08 (started 15/02) = 11;
        // 01/03 − PL-07 = 10.
        #expect(series.suffix(3).map(\.count) == [10, 11, 10])
    }

    @Test func shareOverdueIsCriticalOverallAndSuppressedForASmallTeam() throws {
        let evaluation = try evaluate()
        // 100 × 4 ÷ 10 = 40% > 25% → critical.
        let share = try #require(evaluation.current("reviews_overdue_share"))
        #expect(share.value == 40)
        #expect(share.state == .critical)
        // North 3 of 4 = 75%, but 4 plans < min_count 5 → suppressed; South 1 of 6 = 16.7% > 10% → warning.
        let north = try #require(evaluation.current("reviews_overdue_share", group: ["team": "North"]))
        #expect(north.value == 75)
        #expect(north.state == .suppressed)
        let south = try #require(evaluation.current("reviews_overdue_share", group: ["team": "South"]))
        #expect(rounded(south.value, 1) == 16.7)
        #expect(south.state == .warning)
    }

    @Test func reviewsOverdueByMoreThanTwelveMonthsAreCritical() throws {
        let evaluation = try evaluate()
        // PL-06: due 10/01/2023, + 12 months = 10/01/2024 < 01/03/2024 → 1, critical. Nothing else is that late.
        let backlog = try #require(evaluation.current("reviews_overdue_over_12m"))
        #expect(backlog.value == 1)
        #expect(backlog.state == .critical)
        #expect(evaluation.value("reviews_overdue_over_12m", period: "2023-12-31")?.value == 0)
        #expect(evaluation.value("reviews_overdue_over_12m", period: "2024-01-31")?.value == 1)
        #expect(
            evaluation.alert("reviews_overdue_over_12m", group: ["team": "North"])?.message
                == "North: 1 annual reviews are overdue by more than 12 months on 2024-03-01")
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

    @Test func decisionsOutstandingMoreThanFourWeeksAfterTheMeeting() throws {
        let evaluation = try evaluate()
        // No decision by 01/03/2024: PL-10 (meeting 31/01, 30 days), PL-11 (02/02, 28 days: still in time),
        // PL-12 (25/01, 36 days; decided on 05/03, after the date) → 2, both South.
        let outstanding = try #require(evaluation.current("review_decisions_outstanding"))
        #expect(outstanding.value == 2)
        #expect(outstanding.state == .warning)
        #expect(evaluation.current("review_decisions_outstanding", group: ["team": "North"])?.value == 0)
        #expect(evaluation.current("review_decisions_outstanding", group: ["team": "North"])?.state == .ok)
        #expect(
            evaluation.alert("review_decisions_outstanding", group: ["team": "South"])?.message
                == "South: 2 review decisions are more than 4 weeks past the meeting on 2024-03-01")
    }
}
