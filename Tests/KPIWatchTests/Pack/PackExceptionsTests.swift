import Foundation
import Testing

/// The 20-week exceptions (rules/send/timeliness.yaml, data_quality.yaml) over Fixtures/pack/exceptions and
/// Fixtures/pack/sen2, as of 31 July 2024. Only the codes in `benchmark.twenty_week_exception_codes`
/// (rules/targets.yaml: setting_closed_4_weeks, personal_circumstances, away_from_area_4_weeks and SEN2's "1") take
/// a plan out: SEND Regulations 2014 reg. 13(3) allows only the reasons of reg. 10(4)(a)–(d).
///
/// | case  | request    | final plan | days | exception                  | in the measure?         |
/// |-------|------------|------------|------|----------------------------|-------------------------|
/// | EX-01 | 01/03/2024 | 15/07/2024 | 136  |                            | yes, on time            |
/// | EX-02 | 01/02/2024 | 10/07/2024 | 161  | setting_closed_4_weeks     | no (allowed)            |
/// | EX-03 | 05/02/2024 | 11/07/2024 | 158  | " Personal_Circumstances " | no (case, spaces)       |
/// | EX-04 | 06/02/2024 | 12/07/2024 | 158  | away_from_area_4_weeks     | no (allowed)            |
/// | EX-05 | 07/02/2024 | 15/07/2024 | 160  | missed_appointment         | yes, late; data error   |
/// | EX-06 | 08/02/2024 | 16/07/2024 | 160  | school_holiday             | yes, late; data error   |
/// | EX-07 | 01/03/2024 | 17/07/2024 | 138  | 0                          | yes, on time (no exception) |
/// | EX-08 | 09/02/2024 | 18/07/2024 | 160  | 1                          | no (SEN2 week20 = 1)    |
/// | EX-09 | 05/03/2024 | 19/07/2024 | 136  |                            | yes, on time            |
@Suite struct PackExceptionsTests {
    static let kpis = ["timeliness_20w", "timeliness_20w_incl_exceptions", "dq_exception_not_allowed"]

    @Test func onlyTheStatutoryExceptionsLeaveTheMeasure() throws {
        let evaluation = try PackFixture.evaluate("exceptions", asOf: "2024-07-31", only: Self.kpis)
        // In the measure: EX-01, 05, 06, 07, 09 = 5; on time 01, 07, 09 = 3 → 60%: above England's 46.4%, below the
        // 70% example target → warning. (Before, any non-blank reason left: 2 plans, suppressed.)
        let july = try #require(evaluation.current("timeliness_20w"))
        #expect(july.count == 5)
        #expect(july.value == 60)
        #expect(july.state == .warning)
        // All nine plans, exceptions included: 3 on time → 33.33%.
        let including = try #require(evaluation.current("timeliness_20w_incl_exceptions"))
        #expect(including.count == 9)
        #expect(rounded(including.value, 2) == 33.33)
    }

    @Test func aReasonThatIsNotAnExceptionIsADataError() throws {
        let evaluation = try PackFixture.evaluate("exceptions", asOf: "2024-07-31", only: Self.kpis)
        // EX-05 (a missed appointment excuses the adviser under reg. 8(2), not the LA) and EX-06 (a holiday that is
        // not a closure of 4+ weeks) = 2; "0" means no exception and is not an error.
        let wrong = try #require(evaluation.current("dq_exception_not_allowed"))
        #expect(wrong.period == "12 months to 2024-07-31")
        #expect(wrong.value == 2)
        #expect(wrong.state == .warning)
        #expect(
            evaluation.alert("dq_exception_not_allowed")?.message.hasPrefix(
                "Plans issued in the 12 months to 2024-07-31 with an exception reason that is not a reg. 13(3) "
                    + "exception: 2.") == true)
    }

    @Test func aCouncilMappingSEN2Week20KeepsItsPlans() throws {
        // sen2/ maps SEN2's week20 column (0/1) as the exception: S2-01…S2-05 are 0 (on time 136, 138, 136 days; late
        // 160, 160), S2-06 and S2-07 are 1 (late, excepted). "0" is not blank, but it is not an exception either:
        // 3 of 5 = 60%, not "no data" because every plan had left the measure.
        let evaluation = try PackFixture.evaluate("sen2", asOf: "2024-07-31", only: Self.kpis)
        let july = try #require(evaluation.current("timeliness_20w"))
        #expect(july.count == 5)
        #expect(july.value == 60)
        #expect(rounded(evaluation.current("timeliness_20w_incl_exceptions")?.value, 2) == 42.86)
        #expect(evaluation.current("dq_exception_not_allowed")?.value == 0)
    }
}
