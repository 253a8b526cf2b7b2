import Foundation
import Testing

@testable import KPIWatchEngine

/// Late plans and overdue cases (rules/send/timeliness.yaml, open_assessments.yaml) over Fixtures/pack/late, as of
/// 31 July 2024.
///
/// | case  | team  | officer     | request    | draft      | final plan | days | state on 31/07/2024 |
/// |-------|-------|-------------|------------|------------|------------|------|---------------------|
/// | LT-01 | North | Ann Oakes   | 01/06/2023 |            | 10/07/2024 | 405  | issued after 52 weeks |
/// | LT-02 | North | Ann Oakes   | 15/07/2023 |            | 15/07/2024 | 366  | issued after 52 weeks |
/// | LT-03 | South | Ben Shaw    | 16/07/2023 |            | 15/07/2024 | 365  | after 52 weeks (an exception, still counted) |
/// | LT-04 | South | Ben Shaw    | 17/07/2023 |            | 15/07/2024 | 364  | issued, not after 52 weeks |
/// | LT-05 | North | Ann Oakes   | 01/03/2024 |            | 12/07/2024 | 133  | issued on time |
/// | LT-06 | North | Ann Oakes   | 01/02/2024 |            |            | 181  | open, no draft |
/// | LT-07 | North | (blank)     | 01/02/2024 | 10/07/2024 |            | 181  | open, no officer |
/// | LT-08 | South | Unallocated | 01/02/2024 | 10/07/2024 |            | 181  | open, no officer |
/// | LT-09 | South | Ben Shaw    | 01/02/2024 | 10/07/2024 |            | 181  | open, draft and officer |
/// | LT-10 | South | (blank)     | 01/05/2024 |            |            | 91   | open, inside 20 weeks |
@Suite struct PackLateCasesTests {
    func evaluate() throws -> Evaluation {
        try PackFixture.evaluate(
            "late", asOf: "2024-07-31", only: ["plans_issued_after_52_weeks", "open_past_20w_without_draft_or_officer"])
    }

    @Test func plansIssuedAfterFiftyTwoWeeksCountDayThreeSixtyFiveAndExceptions() throws {
        // Issued in July: 5 plans; more than 364 days: LT-01 (405), LT-02 (366), LT-03 (365, an exception, which
        // DfE's bands include) = 3 → 60%; LT-04 at day 364 is not. Any is a warning.
        let july = try #require(try evaluate().current("plans_issued_after_52_weeks"))
        #expect(july.count == 5)
        #expect(july.value == 60)
        #expect(july.state == .warning)
    }

    @Test func overdueCasesWithoutADraftOrAnOfficer() throws {
        let evaluation = try evaluate()
        // Past 20 weeks (181 days): LT-06 (no draft), LT-07 (blank officer), LT-08 ("Unallocated") = 3; LT-09 has
        // both; LT-10 has neither but is at day 91, still inside 20 weeks.
        let result = try #require(evaluation.current("open_past_20w_without_draft_or_officer"))
        #expect(result.value == 3)
        #expect(result.count == 3)
        #expect(result.state == .warning)
        #expect(evaluation.current("open_past_20w_without_draft_or_officer", group: ["team": "North"])?.value == 2)
        #expect(evaluation.current("open_past_20w_without_draft_or_officer", group: ["team": "South"])?.value == 1)
        #expect(
            evaluation.alert("open_past_20w_without_draft_or_officer", group: ["team": "North"])?.message
                == "North: 2 assessments past 20 weeks have no draft plan or no officer on 2024-07-31")
    }
}
