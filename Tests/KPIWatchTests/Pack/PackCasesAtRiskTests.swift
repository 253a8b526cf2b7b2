import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// rules/send/cases_at_risk.yaml over Fixtures/pack/open (the table in PackOpenAssessmentsTests), as of
/// 15 March 2024. One alert per case, naming the case, caseworker and team, never the child.
@Suite struct PackCasesAtRiskTests {
    static let rules = [
        "decision_overdue_week_6", "ep_advice_overdue", "health_advice_overdue", "social_care_advice_overdue",
        "ep_advice_outstanding_week_12", "no_draft_plan_week_16", "assessment_past_20_weeks",
        "assessment_past_30_weeks",
        "assessment_past_52_weeks",
    ]

    func evaluate() throws -> Evaluation {
        try PackFixture.evaluate("open", asOf: "2024-03-15", only: Self.rules)
    }

    @Test func aDecisionIsOverdueAfterDayFortyTwo() throws {
        let alerts = try evaluate().caseAlerts("decision_overdue_week_6")
        // No decision: OA-01 (10 days), OA-03 (42: still in time), OA-02 (50: overdue), OA-17 (requested in future).
        #expect(alerts.map(\.key) == ["OA-02"])
        #expect(alerts.first?.severity == .warning)
        #expect(alerts.first?.labels == ["team": "North", "caseworker": "Ann Oakes", "stage": "decision"])
        #expect(
            alerts.first?.message
                == "Case OA-02 (Ann Oakes, North): no decision to assess 50 days after the request (due by day 42)")
    }

    @Test func adviceIsOverdueMoreThanFortyTwoDaysAfterItWasRequested() throws {
        let evaluation = try evaluate()
        // EP advice outstanding: OA-04 requested 01/02/2024 = 43 days ago (overdue), OA-05 03/02/2024 = 41 days
        // (not yet), OA-08 06/12/2023 = 100 days (overdue).
        let ep = evaluation.caseAlerts("ep_advice_overdue")
        #expect(ep.map(\.key) == ["OA-04", "OA-08"])
        #expect(
            ep.first?.message
                == "Case OA-04 (Ann Oakes, North): EP advice requested 43 days ago is still outstanding "
                + "(due within 42 days of receipt); 12 weeks since the request for assessment (deadline: week 20)"
        )
        // Health advice for OA-06 requested 25/01/2024 = 6 + 29 + 15 = 50 days ago.
        let health = evaluation.caseAlerts("health_advice_overdue")
        #expect(health.map(\.key) == ["OA-06"])
        #expect(
            health.first?.message
                == "Case OA-06 (Ben Shaw, South): health advice requested 50 days ago is still outstanding "
                + "(due within 42 days)"
        )
        #expect(evaluation.caseAlerts("social_care_advice_overdue").isEmpty)
    }

    @Test func epAdviceOutstandingFromWeekTwelveUntilTheDeadline() throws {
        let alerts = try evaluate().caseAlerts("ep_advice_outstanding_week_12")
        // OA-04 at 84 days = week 12 → alert; OA-05 at 83 days = week 11 → not yet; OA-08 at 141 days is past
        // 20 weeks, so it is no longer "at risk" but late, and raises assessment_past_20_weeks instead.
        #expect(alerts.map(\.key) == ["OA-04"])
        #expect(
            alerts.first?.message
                == "Case OA-04 (Ann Oakes, North): 12 weeks since the request (deadline: week 20), EP advice still outstanding"
        )
    }

    @Test func noDraftPlanFromWeekSixteenUntilTheDeadline() throws {
        let alerts = try evaluate().caseAlerts("no_draft_plan_week_16")
        // No draft: OA-06 (112 days = week 16) and OA-07 (day 140, the last day in time); OA-04 and OA-05 are at
        // weeks 11–12; OA-08 (141) is past the deadline. With at least 15 days for comments on the draft (reg.
        // 13(1)(a)), a final plan on day 140 needs the draft out by day 125: OA-06 requested 24/11/2023 → day 125 is
        // 28/03/2024, still ahead; OA-07 requested 27/10/2023 → day 125 was 29/02/2024, passed.
        #expect(alerts.map(\.key) == ["OA-06", "OA-07"])
        #expect(
            alerts.map(\.message) == [
                "Case OA-06 (Ben Shaw, South): 16 weeks since the request (deadline: week 20) and no draft plan; the "
                    + "final plan can still be issued in time only if the draft goes out by day 125, 2024-03-28",
                "Case OA-07 (Ben Shaw, South): 20 weeks since the request (deadline: week 20) and no draft plan; the "
                    + "final plan can still be issued in time only if the draft goes out by day 125, 2024-02-29 "
                    + "(passed: the final plan will be late)",
            ])
    }

    @Test func overdueBandsDoNotOverlapAndPastFiftyTwoWeeksIsCritical() throws {
        let evaluation = try evaluate()
        // Past 20 weeks: 141 … 210 days → OA-08 (141), OA-09 (210).
        let past20 = evaluation.caseAlerts("assessment_past_20_weeks")
        #expect(past20.map(\.key) == ["OA-08", "OA-09"])
        #expect(past20.allSatisfy { $0.severity == .warning })
        #expect(
            past20.first?.message
                == "Case OA-08 (Ben Shaw, South) has been open 141 days, past the 20-week deadline (140 days)")
        // Past 30 weeks: 211 … 364 days → OA-10 (211), OA-11 (364).
        let past30 = evaluation.caseAlerts("assessment_past_30_weeks")
        #expect(past30.map(\.key) == ["OA-10", "OA-11"])
        #expect(
            past30.last?.message == "Case OA-11 (Ben Shaw, South) has been open 364 days, more than 30 weeks (210 days)"
        )
        // Past 52 weeks: 365 days and more → OA-12, critical.
        let past52 = evaluation.caseAlerts("assessment_past_52_weeks")
        #expect(past52.map(\.key) == ["OA-12"])
        #expect(past52.first?.severity == .critical)
        #expect(
            past52.first?.message
                == "Case OA-12 (Ben Shaw, South) has been open 365 days, more than a year (52 weeks, 364 days)")
        #expect(evaluation.exitCode == 2)
    }

    @Test func closedAndIssuedCasesRaiseNoCaseAlert() throws {
        let evaluation = try evaluate()
        // OA-13 is 150 days old but was withdrawn on the as-of date; OA-14's plan was issued that day; OA-15 and
        // OA-16 closed earlier.
        let keys = Set(evaluation.alerts.compactMap(\.key))
        #expect(keys.isDisjoint(with: ["OA-13", "OA-14", "OA-15", "OA-16", "OA-17"]))
    }

    @Test func caseAlertsNeverCarryTheChildsName() throws {
        let evaluation = try evaluate()
        #expect(evaluation.alerts.count == 12)
        #expect(evaluation.alerts.allSatisfy { !$0.message.contains("Child") })
        #expect(evaluation.alerts.allSatisfy { $0.labels.values.allSatisfy { !$0.contains("Child") } })
    }
}

/// One case, one line: each case alert names under `inhibits:` the less urgent rules it supersedes, and the
/// delivery pipeline's inhibition stage holds those back for the same case.
@Suite struct PackCaseAlertInhibitionTests {
    @Test func eachCaseIsShownOnceAtItsMostUrgentState() throws {
        let engine = Engine.standard()
        let project = try engine.load(configPath: TestPaths.fixture("pack/open/kpiwatch.yaml"))
        let day = Day(iso: "2024-03-15")!
        let evaluation = try engine.evaluate(project, asOf: day, only: PackCasesAtRiskTests.rules)
        let shown = Self.shown(evaluation, project)
        // 12 case alerts over 9 cases: OA-04 is at week 12 with EP advice overdue (the week-12 alert supersedes the
        // advice one), OA-06 is at week 16 with no draft and health advice overdue, OA-08 is past 20 weeks with EP
        // advice overdue.
        #expect(evaluation.alerts.count == 12)
        #expect(shown.count == 9)
        #expect(Set(shown.compactMap(\.key)).count == 9)
        let byCase = Dictionary(uniqueKeysWithValues: shown.map { ($0.key ?? "", $0.rule) })
        #expect(byCase["OA-04"] == "ep_advice_outstanding_week_12")
        #expect(byCase["OA-06"] == "no_draft_plan_week_16")
        #expect(byCase["OA-08"] == "assessment_past_20_weeks")
    }

    /// The alerts a sink receives: the evaluation's, less those inhibited.
    static func shown(_ evaluation: Evaluation, _ project: LoadedProject) -> [Alert] {
        let day = evaluation.asOf
        let firing = evaluation.alerts.map { AlertRecord(alert: $0, state: .firing, firstSeen: day, lastSeen: day) }
        let held = Inhibition(policies: DeliveryPipeline.rulePolicies(project.rules)).inhibited(firing)
        return evaluation.alerts.filter { held[$0.identity] == nil }
    }
}
