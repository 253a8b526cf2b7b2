import Foundation
import Testing

@testable import KPIWatchEngine

/// rules/send/data_quality.yaml over Fixtures/pack/quality (12 assessment rows with the defects of a real export)
/// as of 30 June 2024, and over Fixtures/pack/plans as of 1 March 2024.
///
/// | row | case  | team       | request    | final plan | defect                                  |
/// |-----|-------|------------|------------|------------|-----------------------------------------|
/// | 1   | DQ-01 | North      | 10/01/2024 | 20/05/2023 | final plan before the request (year)    |
/// | 2   | DQ-02 | (blank)    | 12/02/2024 |            | no team                                 |
/// | 3   | DQ-03 | "Unknown " | 14/03/2024 |            | unknown team (trailing space)           |
/// | 4   | DQ-04 | TBC        | 02/04/2024 |            | team to be confirmed                    |
/// | 5   | DQ-05 | n/a        | 03/04/2024 |            | "n/a" is a null value: no team          |
/// | 6–7 | DQ-06 | South      | 08/04/2024 |            | row repeated once                       |
/// | 8–10| DQ-07 | South      | 15/04/2024 |            | row repeated twice                      |
/// | 11  | DQ-08 | North      | 02/07/2024 |            | request after the as-of date            |
/// | 12  | DQ-09 | North      | 30/06/2024 |            | none (requested on the as-of date)      |
@Suite struct PackDataQualityTests {
    static let kpis = ["dq_final_before_request", "dq_unknown_team", "dq_duplicate_case_ids", "dq_dates_in_future"]

    func evaluate() throws -> Evaluation {
        try PackFixture.evaluate("quality", asOf: "2024-06-30", only: Self.kpis)
    }

    @Test func aFinalPlanDatedBeforeItsRequestIsCounted() throws {
        let evaluation = try evaluate()
        let result = try #require(evaluation.current("dq_final_before_request"))
        #expect(result.value == 1)
        // The count is the records behind the value (the one wrong row), not the 12 rows read.
        #expect(result.count == 1)
        #expect(result.state == .warning)
        #expect(
            evaluation.alert("dq_final_before_request")?.message
                == "Assessments whose final plan is dated before the request: 1. One of the two dates is wrong.")
    }

    @Test func blankUnknownAndUnconfirmedTeamsAreCounted() throws {
        let evaluation = try evaluate()
        // DQ-02 blank, DQ-03 "Unknown " (trimmed, lower-cased), DQ-04 "TBC", DQ-05 "n/a" (read as blank) = 4.
        #expect(evaluation.current("dq_unknown_team")?.value == 4)
        #expect(
            evaluation.alert("dq_unknown_team")?.message
                == "Assessments with a blank or unknown team: 4. Allocate them so that a manager sees them.")
    }

    @Test func everyRowBeyondTheFirstForACaseIsADuplicate() throws {
        let evaluation = try evaluate()
        // 12 rows, 9 distinct case ids → 12 − 9 = 3 (DQ-06 once, DQ-07 twice).
        #expect(evaluation.current("dq_duplicate_case_ids")?.value == 3)
    }

    @Test func requestsDatedAfterTheAsOfDateAreCountedAndNamed() throws {
        let evaluation = try evaluate()
        // DQ-08 (02/07/2024); DQ-09 on the as-of date itself is fine.
        let future = try #require(evaluation.current("dq_dates_in_future"))
        #expect(future.value == 1)
        #expect(future.period == "all")
        #expect(
            evaluation.alert("dq_dates_in_future")?.message
                == "Requests for assessment dated after 2024-06-30: 1. A date in the future is usually a typing error.")
    }

    @Test func activePlansWithNoNextReviewDate() throws {
        let evaluation = try PackFixture.evaluate("plans", asOf: "2024-03-01", only: ["dq_plans_missing_next_review"])
        // Active on 01/03/2024 with a blank "Next Review Due": PL-10 only, the one record behind the value.
        let result = try #require(evaluation.current("dq_plans_missing_next_review"))
        #expect(result.value == 1)
        #expect(result.count == 1)
        #expect(
            evaluation.alert("dq_plans_missing_next_review")?.message
                == "Active plans with no next-review date on 2024-03-01: 1. Set the date so that the review is planned."
        )
    }

    @Test func aCleanExportRaisesNoDataQualityAlert() throws {
        let evaluation = try PackFixture.evaluate("issued", asOf: "2024-07-31", only: Self.kpis)
        #expect(evaluation.currentResults.allSatisfy { $0.value == 0 && $0.state == .ok })
        #expect(evaluation.alerts.isEmpty)
    }
}
