import Foundation
import Testing

@testable import KPIWatchEngine

/// rules/send/advice.yaml over Fixtures/pack/advice, as of 31 May 2024. Days = received − requested.
///
/// | case  | EP advice                  | health advice          | social care           | final plan (days after EP) |
/// |-------|----------------------------|------------------------|-----------------------|-------------|
/// | AD-01 | 01/04 → 01/05/2024: 30     | 21/04 → 01/05: 10      | 30/04 → 01/05: 1      |             |
/// | AD-02 | 25/03 → 06/05: 42          | 25/03 → 06/05: 42      | 26/04 → 06/05: 10     |             |
/// | AD-03 | 02/04 → 14/05: 42          | 01/04 → 14/05: 43      | 24/04 → 14/05: 20     |             |
/// | AD-04 | 08/04 → 21/05: 43          | 07/04 → 21/05: 44      | 21/04 → 21/05: 30     |             |
/// | AD-05 | 31/03 → 30/05: 60          |                        | 18/04 → 30/05: 42     |             |
/// | AD-06 | (no request date) → 15/05  |                        | N/A                   |             |
/// | AD-07 | 01/03 → 21/03: 20          |                        |                       | 16/05: 56   |
/// | AD-08 | 10/02 → 31/03: 50          |                        |                       | 27/05: 57   |
/// | AD-09 | 01/02 → 05/03: 33          |                        |                       | 31/05: 87   |
/// | AD-10 | 15/01 → 20/02: 36          |                        |                       | 02/05: 72   |
/// | AD-11 | 30/03 → 20/04: 21          |                        |                       | 10/05: 20   |
/// | AD-12 | 10/03 → 25/04: 46          |                        |                       | 05/05: 10   |
/// | AD-13 | (no EP advice)             |                        |                       | 08/05       |
@Suite struct PackAdviceTests {
    static let kpis = [
        "ep_advice_within_6w", "health_advice_within_6w", "social_care_advice_within_6w",
        "plans_within_8w_of_ep_advice",
        "ep_advice_days_median",
    ]

    func evaluate() throws -> Evaluation {
        try PackFixture.evaluate("advice", asOf: "2024-05-31", only: Self.kpis)
    }

    @Test func epAdviceAtDayFortyTwoIsInTimeAndAtDayFortyThreeLate() throws {
        let evaluation = try evaluate()
        // May: AD-01 (30), 02 (42), 03 (42), 04 (43), 05 (60) = 5; AD-06 has no request date and is left out.
        // In time 30, 42, 42 → 100 × 3 ÷ 5 = 60% < 90% target → warning.
        let may = try #require(evaluation.current("ep_advice_within_6w"))
        #expect(may.count == 5)
        #expect(may.value == 60)
        #expect(may.state == .warning)
        #expect(
            evaluation.alert("ep_advice_within_6w")?.message
                == "60.0% of EP advice returned within 6 weeks in 2024-05 (5 received; target 90.0%)")
        // Earlier months by the date the advice arrived: April AD-11 (21), AD-12 (46) → 50%, 2 < 5 suppressed;
        // March AD-07 (20), 08 (50), 09 (33) → 66.67%; February AD-10 (36) → 100%.
        let april = try #require(evaluation.value("ep_advice_within_6w", period: "2024-04"))
        #expect(april.value == 50)
        #expect(april.state == .suppressed)
        #expect(rounded(evaluation.value("ep_advice_within_6w", period: "2024-03")?.value, 2) == 66.67)
        #expect(evaluation.value("ep_advice_within_6w", period: "2024-02")?.value == 100)
    }

    @Test func healthAndSocialCareAdviceAreMeasuredOnTheirOwnDates() throws {
        let evaluation = try evaluate()
        // Health, May: 10, 42, 43, 44 → 2 of 4 = 50%, but 4 < min_count 5: suppressed, no alert.
        let health = try #require(evaluation.current("health_advice_within_6w"))
        #expect(health.value == 50)
        #expect(health.state == .suppressed)
        #expect(evaluation.alert("health_advice_within_6w") == nil)
        // Social care, May: 1, 10, 20, 30, 42 → 5 of 5 = 100% → ok; AD-06's "N/A" is blank, not counted.
        let socialCare = try #require(evaluation.current("social_care_advice_within_6w"))
        #expect(socialCare.count == 5)
        #expect(socialCare.value == 100)
        #expect(socialCare.state == .ok)
    }

    @Test func plansWithinEightWeeksCountedByTheMonthTheEPAdviceArrived() throws {
        let evaluation = try evaluate()
        // Devon's Table 3 places each case in the month its EP advice arrived. March: AD-07 (21/03 → plan 16/05,
        // 56 days: in time), AD-08 (31/03 → 27/05, 57 days), AD-09 (05/03 → 31/05, 87 days) → 1 of 3 = 33.33%.
        let march = try #require(evaluation.value("plans_within_8w_of_ep_advice", period: "2024-03"))
        #expect(march.count == 3)
        #expect(rounded(march.value, 2) == 33.33)
        // April: AD-11 (20 days), AD-12 (10) → 100%; February: AD-10 (72 days) → 0%.
        #expect(evaluation.value("plans_within_8w_of_ep_advice", period: "2024-04")?.value == 100)
        #expect(evaluation.value("plans_within_8w_of_ep_advice", period: "2024-02")?.value == 0)
        // May: AD-01…AD-06's advice arrived, no plan yet (AD-13, issued in May, had no EP advice) → 0 of 6. Their
        // 8 weeks have not run out, so the measure has no threshold: no alert on an incomplete month.
        let may = try #require(evaluation.current("plans_within_8w_of_ep_advice"))
        #expect(may.count == 6)
        #expect(may.value == 0)
        #expect(may.state == .ok)
        #expect(evaluation.alert("plans_within_8w_of_ep_advice") == nil)
    }

    @Test func medianDaysForEPAdvice() throws {
        let evaluation = try evaluate()
        // May: 30, 42, 42, 43, 60 → 42, not over the 42-day limit → ok.
        let may = try #require(evaluation.current("ep_advice_days_median"))
        #expect(may.value == 42)
        #expect(may.state == .ok)
        // April: 21 and 46 → (21 + 46) ÷ 2 = 33.5.
        #expect(evaluation.value("ep_advice_days_median", period: "2024-04")?.value == 33.5)
        // January had none: no value, no alert.
        #expect(evaluation.value("ep_advice_days_median", period: "2024-01")?.state == .noData)
    }
}
