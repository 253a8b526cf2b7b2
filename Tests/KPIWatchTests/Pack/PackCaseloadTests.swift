import Foundation
import Testing

/// rules/send/caseload.yaml: open assessments (Fixtures/pack/open, 15 March 2024) and active plans
/// (Fixtures/pack/plans, 1 March 2024) per caseworker and team, divided by FTE from common/staff.csv:
/// Ann Oakes (North, assessment, 1.0), Ben Shaw (South, assessment, 0.5), Cara Reid (North, review, 0.8),
/// Dev Patel (South, review, 1.0).
@Suite struct PackCaseloadTests {
    @Test func openAssessmentsPerAssessmentOfficerFTE() throws {
        let evaluation = try PackFixture.evaluate(
            "open", asOf: "2024-03-15",
            only: ["assessment_caseload", "assessment_officer_fte", "assessment_caseload_per_fte"])
        // Open on 15/03/2024: Ann Oakes OA-01, 02, 03, 04, 09, 10 = 6; Ben Shaw OA-05, 06, 07, 08, 11, 12 = 6.
        #expect(evaluation.current("assessment_caseload", group: ["caseworker": "Ann Oakes"])?.value == 6)
        #expect(evaluation.current("assessment_caseload", group: ["caseworker": "Ben Shaw"])?.value == 6)
        // FTE from the staff list, assessment role only: 1.0 + 0.5 = 1.5.
        #expect(evaluation.current("assessment_officer_fte")?.value == 1.5)
        // Per FTE: Ann 6 ÷ 1.0 = 6; Ben 6 ÷ 0.5 = 12; overall 12 ÷ 1.5 = 8. Below the ceiling of 60 → ok.
        #expect(evaluation.current("assessment_caseload_per_fte", group: ["caseworker": "Ann Oakes"])?.value == 6)
        let ben = try #require(evaluation.current("assessment_caseload_per_fte", group: ["caseworker": "Ben Shaw"]))
        #expect(ben.value == 12)
        #expect(ben.count == nil)
        #expect(ben.state == .ok)
        let overall = try #require(evaluation.current("assessment_caseload_per_fte"))
        #expect(overall.value == 8)
        #expect(overall.period == "2024-03-15")
        // Review officers hold no assessments: they are not groups of the assessment ratio.
        #expect(evaluation.values(of: "assessment_caseload_per_fte", group: ["caseworker": "Cara Reid"]).isEmpty)
    }

    @Test func openAssessmentsPerAssessmentFTEByTeam() throws {
        let evaluation = try PackFixture.evaluate(
            "open", asOf: "2024-03-15", only: ["team_assessment_caseload_per_fte"])
        // North 6 ÷ 1.0 = 6; South 6 ÷ 0.5 = 12; overall 12 ÷ 1.5 = 8.
        #expect(evaluation.current("team_assessment_caseload_per_fte", group: ["team": "North"])?.value == 6)
        #expect(evaluation.current("team_assessment_caseload_per_fte", group: ["team": "South"])?.value == 12)
        #expect(evaluation.current("team_assessment_caseload_per_fte")?.value == 8)
    }

    @Test func activePlansPerReviewOfficerFTE() throws {
        let evaluation = try PackFixture.evaluate(
            "plans", asOf: "2024-03-01", only: ["review_caseload", "review_officer_fte", "review_caseload_per_fte"])
        // Active on 01/03/2024: Cara Reid (North) PL-01, 02, 06, 11 = 4;
        // Dev Patel (South) PL-03, 04, 05, 08, 10, 12 = 6.
        #expect(evaluation.current("review_caseload", group: ["caseworker": "Cara Reid"])?.value == 4)
        #expect(evaluation.current("review_caseload", group: ["caseworker": "Dev Patel"])?.value == 6)
        // Review FTE 0.8 + 1.0 = 1.8. Cara 4 ÷ 0.8 = 5; Dev 6 ÷ 1.0 = 6; overall 10 ÷ 1.8 = 5.56.
        #expect(rounded(evaluation.current("review_officer_fte")?.value, 2) == 1.8)
        #expect(evaluation.current("review_caseload_per_fte", group: ["caseworker": "Cara Reid"])?.value == 5)
        #expect(evaluation.current("review_caseload_per_fte", group: ["caseworker": "Dev Patel"])?.value == 6)
        #expect(rounded(evaluation.current("review_caseload_per_fte")?.value, 2) == 5.56)
        #expect(evaluation.alerts.isEmpty)
    }
}
