import Foundation
import Testing

@testable import KPIWatchEngine

/// rules/send/open_assessments.yaml over Fixtures/pack/open, as of Friday 15 March 2024.
///
/// | case  | team  | request    | days open on 15/03/2024 | state on 15/03/2024                      |
/// |-------|-------|------------|------|--------------------------------------------------|
/// | OA-01 | North | 05/03/2024 | 10   | open                                             |
/// | OA-02 | North | 25/01/2024 | 50   | open, no decision yet                            |
/// | OA-03 | North | 02/02/2024 | 42   | open, no decision yet                            |
/// | OA-04 | North | 22/12/2023 | 84   | open, EP advice outstanding                      |
/// | OA-05 | South | 23/12/2023 | 83   | open, EP advice outstanding                      |
/// | OA-06 | South | 24/11/2023 | 112  | open, no draft                                   |
/// | OA-07 | South | 27/10/2023 | 140  | open, no draft                                   |
/// | OA-08 | South | 26/10/2023 | 141  | open, EP advice outstanding, no draft            |
/// | OA-09 | North | 18/08/2023 | 210  | open                                             |
/// | OA-10 | North | 17/08/2023 | 211  | open                                             |
/// | OA-11 | South | 17/03/2023 | 364  | open                                             |
/// | OA-12 | South | 16/03/2023 | 365  | open                                             |
/// | OA-13 | North | 17/10/2023 | 150  | withdrawn, closed 15/03/2024: not open           |
/// | OA-14 | South | 01/11/2023 | 135  | final plan 15/03/2024: not open                  |
/// | OA-15 | North | 06/11/2023 | 130  | final plan 01/03/2024                            |
/// | OA-16 | South | 01/12/2023 | 105  | refused on day 45 (15/01/2024), closed 10/02/2024 |
/// | OA-17 | North | 20/03/2024 | −5   | requested after the as-of date: not open         |
@Suite struct PackOpenAssessmentsTests {
    static let kpis = [
        "open_assessments", "open_within_20w", "open_past_20w", "open_past_20w_share", "open_past_30w", "open_past_52w",
        "open_assessment_age_median",
    ]

    func evaluate() throws -> Evaluation {
        try PackFixture.evaluate("open", asOf: "2024-03-15", only: Self.kpis)
    }

    @Test func aCaseClosedOrIssuedOnTheAsOfDateIsNotOpen() throws {
        let evaluation = try evaluate()
        // OA-01 … OA-12 = 12 open. OA-13 (closed on 15/03) and OA-14 (plan issued on 15/03) are not open that day;
        // OA-17 is requested after it. North OA-01, 02, 03, 04, 09, 10 = 6; South OA-05, 06, 07, 08, 11, 12 = 6.
        #expect(evaluation.current("open_assessments")?.value == 12)
        #expect(evaluation.current("open_assessments", group: ["team": "North"])?.value == 6)
        #expect(evaluation.current("open_assessments", group: ["team": "South"])?.value == 6)
        // count is the records behind the value, the 12 open assessments, not the 17 rows of the export.
        #expect(evaluation.current("open_assessments")?.count == 12)
        #expect(evaluation.current("open_past_20w")?.count == 5)
    }

    @Test func dayOneHundredFortyIsInsideTwentyWeeksAndDayOneHundredFortyOneOutside() throws {
        let evaluation = try evaluate()
        // Inside (≤ 140 days): OA-01 … OA-07 = 7 (North 01–04 = 4, South 05–07 = 3); OA-07 is at day 140.
        #expect(evaluation.current("open_within_20w")?.value == 7)
        #expect(evaluation.current("open_within_20w", group: ["team": "North"])?.value == 4)
        #expect(evaluation.current("open_within_20w", group: ["team": "South"])?.value == 3)
        // Outside (> 140): OA-08 (141), 09, 10, 11, 12 = 5; under the local ceiling of 50 → ok.
        let past20 = try #require(evaluation.current("open_past_20w"))
        #expect(past20.value == 5)
        #expect(past20.state == .ok)
        #expect(evaluation.current("open_past_20w", group: ["team": "North"])?.value == 2)
        #expect(evaluation.current("open_past_20w", group: ["team": "South"])?.value == 3)
    }

    @Test func shareOutsideTwentyWeeksIsBuiltOnTheTwoCounts() throws {
        let evaluation = try evaluate()
        // 100 × 5 ÷ 12 = 41.67% > 40% ceiling → warning; North 100 × 2 ÷ 6 = 33.3% ok; South 3 ÷ 6 = 50% warning.
        let share = try #require(evaluation.current("open_past_20w_share"))
        #expect(rounded(share.value, 2) == 41.67)
        #expect(share.count == nil)
        #expect(share.state == .warning)
        #expect(rounded(evaluation.current("open_past_20w_share", group: ["team": "North"])?.value, 1) == 33.3)
        #expect(evaluation.current("open_past_20w_share", group: ["team": "South"])?.state == .warning)
        #expect(
            evaluation.alert("open_past_20w_share", group: ["team": "South"])?.message
                == "South: 50.0% of open assessments are past 20 weeks on 2024-03-15")
    }

    @Test func dayTwoHundredTenIsNotPastThirtyWeeksAndDayThreeSixtyFourNotPastFiftyTwo() throws {
        let evaluation = try evaluate()
        // Past 30 weeks (> 210 days): OA-10 (211), OA-11 (364), OA-12 (365) = 3; OA-09 at 210 is not → warning.
        let past30 = try #require(evaluation.current("open_past_30w"))
        #expect(past30.value == 3)
        #expect(past30.state == .warning)
        #expect(evaluation.current("open_past_30w", group: ["team": "North"])?.value == 1)
        // Past 52 weeks (> 364 days): OA-12 only; critical overall and for South. North has no open case past 52
        // weeks, so no value and no alert (a group has a value only where records pass `where`).
        let past52 = try #require(evaluation.current("open_past_52w"))
        #expect(past52.value == 1)
        #expect(past52.state == .critical)
        #expect(evaluation.current("open_past_52w", group: ["team": "South"])?.state == .critical)
        #expect(evaluation.current("open_past_52w", group: ["team": "North"]) == nil)
        #expect(evaluation.alert("open_past_52w")?.severity == .critical)
        #expect(evaluation.alert("open_past_52w", group: ["team": "North"]) == nil)
    }

    @Test func snapshotHistoryIsTakenAtEachMonthEndIncludingTheLeapDay() throws {
        let evaluation = try evaluate()
        let series = evaluation.values(of: "open_assessments")
        #expect(series.suffix(4).map(\.period) == ["2023-12-31", "2024-01-31", "2024-02-29", "2024-03-15"])
        // 31/12/2023: OA-04 … OA-16 requested by then, none closed yet = 13.
        // 31/01/2024: + OA-02 (25/01) = 14.
        // 29/02/2024: + OA-03 (02/02) − OA-16 (closed 10/02) = 14; OA-13, 14, 15 still open.
        // 15/03/2024: + OA-01 − OA-13, OA-14, OA-15 = 12.
        #expect(series.suffix(4).map(\.value) == [13, 14, 14, 12])
        // Past 52 weeks at 29/02/2024: OA-12 was 350 days old → 0; it crosses 364 days in March.
        #expect(evaluation.value("open_past_52w", period: "2024-02-29")?.value == 0)
        // Past 20 weeks at 29/02/2024 (> 140 days then, i.e. > 155 days on 15/03): OA-09, 10, 11, 12 = 4.
        #expect(evaluation.value("open_past_20w", period: "2024-02-29")?.value == 4)
    }

    @Test func medianWeeksOpenIsTheMeanOfTheMiddleTwo() throws {
        let evaluation = try evaluate()
        // Days open sorted: 10, 42, 50, 83, 84, 112, 140, 141, 210, 211, 364, 365 → middle (112 + 140) ÷ 2 ÷ 7 = 18.
        let median = try #require(evaluation.current("open_assessment_age_median"))
        #expect(median.value == 18)
        #expect(median.count == 12)
        #expect(median.state == .ok)
        // South 83, 112, 140, 141, 364, 365 → (140 + 141) ÷ 2 ÷ 7 = 20.07 weeks > 20 → warning.
        let south = try #require(evaluation.current("open_assessment_age_median", group: ["team": "South"]))
        #expect(rounded(south.value, 2) == 20.07)
        #expect(south.state == .warning)
        #expect(
            evaluation.alert("open_assessment_age_median", group: ["team": "South"])?.message
                == "South: the median open assessment has been open 20.1 weeks on 2024-03-15 (6 open)")
    }
}
