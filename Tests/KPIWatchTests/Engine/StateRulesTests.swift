import Foundation
import Testing

/// `for`, `min_count`, `no_data`, and which values raise alerts.
@Suite struct StateRulesTests {
    @Test func forNeedsTheConditionInConsecutivePeriods() throws {
        // Monthly counts: November 0, December 1, January 1, February 3, March 1.
        let rules =
            "kpis:\n"
            + monthlyCount("four", history: 1, "    for: 4\n    thresholds:\n      warning: value >= 1\n")
            + monthlyCount("five", history: 1, "    for: 5\n    thresholds:\n      warning: value >= 1\n")
            + monthlyCount("two", history: 1, "    for: 2\n    thresholds:\n      warning: value >= 2\n")
        let evaluation = try EngineFixture(rules: rules).evaluate()
        #expect(evaluation.current("four")?.state == .warning)
        #expect(evaluation.current("five")?.state == .warning)
        #expect(evaluation.values(of: "four").count == 1)
        // December to March is 4 months at ≥ 1; November (0) breaks a run of 5; March (1) is below 2.
        #expect(evaluation.alerts.map(\.rule) == ["four"])
    }

    @Test func aCriticalHeldTooBrieflyStillRaisesTheWarningThatHeldLongEnough() throws {
        // February 3 and March 1 are both ≥ 1 (warning) but only February is ≥ 3 (critical).
        let rules =
            "kpis:\n"
            + monthlyCount(
                "m", history: 1,
                "    for: 2\n    thresholds:\n      critical: previous >= 3\n      warning: value >= 1\n")
        let evaluation = try EngineFixture(rules: rules).evaluate()
        #expect(evaluation.current("m")?.state == .critical)
        // March is critical (previous 3) but February was critical only if January's previous (December 1) were ≥ 3.
        #expect(evaluation.alerts.map(\.severity) == [.warning])
    }

    @Test func fewerRecordsThanMinCountAreSuppressedAndRaiseNothing() throws {
        let rules = """
            kpis:
              - id: closed_share
                dataset: cases
                date: opened
                period: month
                history: 2
                value: percent(closed is not null)
                min_count: 2
                unit: percent
                thresholds:
                  warning: value < 100

            """
        let evaluation = try EngineFixture(rules: rules).evaluate()
        // February: C3 and C6 closed of C2, C3, C6 → 66.7%, warning. March: C4 alone → suppressed.
        #expect(evaluation.values(of: "closed_share").map(\.state) == [.warning, .suppressed])
        #expect(rounded(evaluation.values(of: "closed_share").first?.value) == 66.7)
        #expect(evaluation.alerts.isEmpty)
        #expect(evaluation.exitCode == 0)
    }

    @Test func noDataPolicyDecidesWhetherAMissingValueAlerts() throws {
        let rules = """
            kpis:
              - id: east_quiet
                dataset: cases
                where: team == "East"
                date: opened
                period: month
                value: percent(closed is null)
              - id: east_loud
                dataset: cases
                where: team == "East"
                date: opened
                period: month
                value: percent(closed is null)
                no_data: warning
              - id: east_unknown
                dataset: cases
                where: team == "East"
                date: opened
                period: month
                value: percent(closed is null)
                no_data: unknown

            """
        let evaluation = try EngineFixture(rules: rules).evaluate()
        #expect(evaluation.current("east_quiet")?.state == .noData)
        #expect(evaluation.current("east_quiet")?.value == nil)
        #expect(evaluation.alerts.map(\.rule) == ["east_loud", "east_unknown"])
        #expect(evaluation.alerts.map(\.severity) == [.warning, .unknown])
        #expect(evaluation.exitCode == 1)
    }

    @Test func groupsAlertSeparatelyFromTheOverallValue() throws {
        let rules = "kpis:\n" + monthlyCount("m", "    group_by: [team]\n    thresholds:\n      warning: value >= 1\n")
        let evaluation = try EngineFixture(rules: rules).evaluate()
        // March: overall 1 (C4) and the blank-team group 1; North and South have no March records.
        #expect(evaluation.alerts.map(\.group) == [[:], ["team": "(blank)"]])
        #expect(evaluation.alerts.first?.message == "m: 1 in 2024-03 (value >= 1)")
    }
}

@Suite struct KPILabelTests {
    @Test func groupFieldsInLabelsReadAllOnTheOverallValue() throws {
        let rules =
            "kpis:\n"
            + monthlyCount(
                "m",
                "    group_by: [team]\n    labels: { team: \"{team}\" }\n    thresholds:\n      warning: value >= 1\n")
        let evaluation = try EngineFixture(rules: rules).evaluate()
        #expect(evaluation.alerts.map { $0.labels["team"] } == ["All", "(blank)"])
    }
}
