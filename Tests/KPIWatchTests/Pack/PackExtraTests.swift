import Foundation
import Testing

@testable import KPIWatchEngine

/// rules/send_extra (KPIs on columns some exports carry) over Fixtures/pack/extra, as of Friday 31 May 2024.
///
/// | request | received   | outcome    | closed / issued | days |
/// |---------|------------|------------|-----------------|------|
/// | OC-01   | 02/05/2024 | Open       |                 |      |
/// | OC-02   | 10/05/2024 | Refused    | 20/05/2024      |      |
/// | OC-03   | 15/05/2024 | Withdrawn  | 25/05/2024      |      |
/// | OC-04   | 20/05/2024 | Open       |                 |      |
/// | OC-05   | 03/01/2024 | Not issued | 23/04/2024      | 111  |
/// | OC-06   | 02/01/2024 | Not issued | 23/04/2024      | 112  |
/// | OC-07   | 01/01/2024 | Not issued | 23/04/2024      | 113  |
/// | OC-08   | 15/01/2024 | Issued     | 20/04/2024      |      |
///
/// | plan  | team  | setting        | ceased (reason)              | amendments sent → issued | interim    | transfer (post-16) → amended |
/// |-------|-------|----------------|------------------------------|--------------------------|------------|------------------------------|
/// | EP-01 | North | (blank)        |                              | 01/03 → 26/04 (56 days)  | 15/05/2024 | 01/09/2024 (no) → 10/02/2024 |
/// | EP-02 | North | Mainstream     |                              | 01/03 → 27/04 (57 days)  | 20/05/2024 | 01/09/2024 (no) → 15/02/2024 |
/// | EP-03 | South | TBC            |                              | 01/04 → —                | 10/04/2024 | 01/09/2024 (yes) → 30/03/2024 |
/// | EP-04 | South | None           |                              | 10/04 → —                |            | 01/09/2024 (yes) → —         |
/// | EP-05 | South | Special school |                              | 01/02 → 15/01 (earlier)  |            | 01/09/2025 (no) → —          |
/// | EP-06 | North | Mainstream     | 10/04/2024 (Moved out of the area) |                    |            | 01/09/2024 (no) → —          |
/// | EP-07 | North | FE college     | 31/07/2023 (Reached the age of 25) |                    |            |                              |
/// | EP-08 | South | FE college     | 01/06/2024 (Moved to employment)   |                    |            |                              |
@Suite struct PackExtraTests {
    func evaluate(asOf: String = "2024-05-31") throws -> Evaluation {
        try evaluateProject(
            TestPaths.fixture("pack/extra/kpiwatch.yaml"), asOf: asOf,
            only: [
                "requests_by_outcome", "not_issued_within_16w", "active_plans_no_named_setting",
                "plans_ceased_by_reason", "amended_plans_within_8w", "amendments_outstanding_past_8w",
                "interim_reviews", "phase_transfers_late", "phase_transfers_to_amend", "complaints_by_stage",
            ])
    }

    @Test func requestsFollowedToTheirOutcomeByMonthOfRequest() throws {
        let evaluation = try evaluate()
        // May's requests: OC-01 and OC-04 open, OC-02 refused, OC-03 withdrawn.
        #expect(evaluation.current("requests_by_outcome")?.value == 4)
        #expect(evaluation.current("requests_by_outcome", group: ["outcome": "Open"])?.value == 2)
        #expect(evaluation.current("requests_by_outcome", group: ["outcome": "Refused"])?.value == 1)
        #expect(evaluation.current("requests_by_outcome", group: ["outcome": "Withdrawn"])?.value == 1)
        // January's: three not issued, one issued (Walsall's "issued … closed without an EHCP … open").
        #expect(
            evaluation.value("requests_by_outcome", period: "2024-01", group: ["outcome": "Not issued"])?.value == 3)
        #expect(evaluation.value("requests_by_outcome", period: "2024-01", group: ["outcome": "Issued"])?.value == 1)
    }

    @Test func aDecisionNotToIssueIsDueWithinSixteenWeeks() throws {
        // Notified 23/04/2024: OC-05 (111 days), OC-06 (112, the last day in time), OC-07 (113) → 2 of 3.
        let april = try #require(try evaluate().value("not_issued_within_16w", period: "2024-04"))
        #expect(april.count == 3)
        #expect(rounded(april.value, 2) == 66.67)
    }

    @Test func activePlansWithNoNamedSetting() throws {
        // Active: EP-01 … EP-05 and EP-08 (ceases on 01/06). Blank, "TBC" and "None": EP-01, 03, 04 = 3.
        let result = try #require(try evaluate().current("active_plans_no_named_setting"))
        #expect(result.value == 3)
        #expect(result.state == .warning)
    }

    @Test func ceasedPlansByReasonOverTwelveMonths() throws {
        // 01/06/2023–31/05/2024: EP-06 (10/04/2024) and EP-07 (31/07/2023); EP-08 ceases after the date.
        let evaluation = try evaluate()
        #expect(evaluation.current("plans_ceased_by_reason")?.value == 2)
        #expect(
            evaluation.current("plans_ceased_by_reason", group: ["ceased_reason": "Moved out of the area"])?.value == 1)
        #expect(
            evaluation.current("plans_ceased_by_reason", group: ["ceased_reason": "Reached the age of 25"])?.value == 1)
        #expect(evaluation.current("plans_ceased_by_reason", group: ["ceased_reason": "Moved to employment"]) == nil)
    }

    @Test func amendedPlansAreDueEightWeeksAfterTheProposedAmendments() throws {
        let evaluation = try evaluate()
        // Issued in April: EP-01 at day 56 (in time) and EP-02 at day 57 → 50%.
        let april = try #require(evaluation.value("amended_plans_within_8w", period: "2024-04"))
        #expect(april.count == 2)
        #expect(april.value == 50)
        // Outstanding on 31/05: EP-03 (sent 01/04, 60 days, none issued) and EP-05 (sent 01/02; its amended plan of
        // 15/01 answered an earlier notice) = 2. EP-04's notice is 51 days old: still in time.
        let outstanding = try #require(evaluation.current("amendments_outstanding_past_8w"))
        #expect(outstanding.value == 2)
        #expect(evaluation.current("amendments_outstanding_past_8w", group: ["team": "South"])?.value == 2)
    }

    @Test func interimReviewsByMonth() throws {
        let evaluation = try evaluate()
        #expect(evaluation.current("interim_reviews")?.value == 2)
        #expect(evaluation.value("interim_reviews", period: "2024-04")?.value == 1)
    }

    @Test func phaseTransfersMustBeAmendedBeforeFifteenFebruaryOrThirtyFirstMarch() throws {
        // 2024's round on 31/05: EP-01 amended 10/02 (before 15 February: in time); EP-02 on 15/02 itself (late: the
        // amendment is due *before* the 15th); EP-03 (post-16) on 30/03, before 31 March: in time; EP-04 (post-16)
        // not amended → late. EP-06 has ceased. → 2. EP-05 transfers in 2025: its deadline is 15/02/2025.
        let evaluation = try evaluate()
        let late = try #require(evaluation.current("phase_transfers_late"))
        #expect(late.value == 2)
        #expect(late.state == .warning)
        #expect(evaluation.current("phase_transfers_to_amend")?.value == 1)
        // On 14/02/2024 nothing is late yet; still to amend: EP-02 (amended the next day), EP-03, EP-04, EP-05 and
        // EP-06 (active until April) = 5; EP-01 was amended on 10/02.
        let february = try evaluate(asOf: "2024-02-14")
        #expect(february.current("phase_transfers_late")?.value == 0)
        #expect(february.current("phase_transfers_to_amend")?.value == 5)
        // On 15/02/2024 EP-02 and EP-06 (non post-16, not amended before the 15th) are late; post-16 EP-03 and
        // EP-04 have until 31 March.
        #expect(try evaluate(asOf: "2024-02-15").current("phase_transfers_late")?.value == 2)
    }

    @Test func complaintsByStageThisYearAndLast() throws {
        // complaints.csv: 2023 CP-01, CP-02 (stage 1); 2024 to 31/05: CP-03 (stage 2), CP-04, CP-05 (stage 1);
        // CP-06 (03/06/2024) is after the date.
        let evaluation = try evaluate()
        let year = try #require(evaluation.current("complaints_by_stage"))
        #expect(year.period == "2024")
        #expect(year.value == 3)
        #expect(evaluation.current("complaints_by_stage", group: ["stage": "1"])?.value == 2)
        #expect(evaluation.current("complaints_by_stage", group: ["stage": "2"])?.value == 1)
        #expect(evaluation.current("complaints_by_stage", group: ["stage": "1"])?.previous == 2)
    }
}
