import Foundation
import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The delivery pipeline across simulated days, with real SQLite state in a temporary folder.
@Suite(.serialized) struct AlertLifecycleTests {
    static let sink = "  - { type: \"plugin:rec\", name: rec }"
    /// C1 is past 30 weeks on 2026-10-29, C2 past 52 (so its 30-week alert is inhibited); North has 2 open cases.
    static let cases: [(String, String, String, String?)] = [
        ("C1", "North", "2026-03-01", nil), ("C2", "North", "2025-09-01", nil),
    ]

    @Test func aFiringAlertIsSentOnceThenAgainOnlyAfterTheRepeatInterval() throws {
        let project = LifecycleProject(sinks: Self.sink)
        project.setCases(Self.cases)
        try project.run("2026-10-29")
        #expect(
            project.sink().received.summary == [
                "firing open_cases ", "firing open_cases North", "firing open_past_30w C1", "firing open_past_52w C2",
            ])
        for day in ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"] {
            let outcome = try project.run(day)
            #expect(project.sink().received.isEmpty, "nothing is repeated on \(day)")
            #expect(outcome.sinks.first?.repeatSuppressed == 4)
        }
        try project.run("2026-11-05")
        #expect(project.sink().received.count == 4)
    }

    @Test func aRuleRepeatIntervalOverridesTheSinks() throws {
        let rules = LifecycleProject.rules.replacingOccurrences(
            of: "    severity: warning\n", with: "    severity: warning\n    repeat_interval: 2d\n")
        let project = LifecycleProject(sinks: Self.sink, rules: rules)
        project.setCases([("C1", "North", "2026-03-01", nil)])
        try project.run("2026-10-29")
        try project.run("2026-10-30")
        #expect(project.sink().received.isEmpty)
        try project.run("2026-10-31")
        #expect(project.sink().received.summary == ["firing open_past_30w C1"])
    }

    @Test func aClearedAlertSendsOneResolvedNotice() throws {
        let project = LifecycleProject(sinks: Self.sink)
        project.setCases(Self.cases)
        try project.run("2026-10-29")
        project.setCases([("C1", "North", "2026-03-01", "2026-10-29"), ("C2", "North", "2025-09-01", nil)])
        let outcome = try project.run("2026-10-30")
        #expect(
            project.sink().received.summary == [
                "resolved open_cases ", "resolved open_cases North", "resolved open_past_30w C1",
            ])
        #expect(outcome.resolved.count == 3)
        try project.run("2026-10-31")
        #expect(project.sink().received.isEmpty)
        let records = try project.store().alertRecords()
        #expect(records["open_past_30w||C1"]?.state == .resolved)
        #expect(records["open_past_30w||C1"]?.resolvedOn == Day(iso: "2026-10-30"))
    }

    @Test func sendResolvedFalseOnTheSinkSendsNoResolvedNotice() throws {
        let project = LifecycleProject(sinks: "  - { type: \"plugin:rec\", name: rec, send_resolved: false }")
        project.setCases([("C1", "North", "2026-03-01", nil)])
        try project.run("2026-10-29")
        project.setCases([])
        try project.run("2026-10-30")
        #expect(project.sink().received.isEmpty)
    }

    @Test func keepFiringForStopsAnAlertFlapping() throws {
        let rules = LifecycleProject.rules.replacingOccurrences(
            of: "    severity: warning\n", with: "    severity: warning\n    keep_firing_for: 3d\n")
        let project = LifecycleProject(sinks: Self.sink, rules: rules)
        let open = [("C1", "North", "2026-03-01", String?.none)]
        let closed = [("C1", "North", "2026-03-01", String?("2026-10-01"))]
        project.setCases(open)
        try project.run("2026-10-29")
        #expect(project.sink().received.summary == ["firing open_past_30w C1"])
        project.setCases(closed)
        try project.run("2026-10-30")
        #expect(project.sink().received.isEmpty, "kept firing: no resolved notice yet")
        project.setCases(open)
        try project.run("2026-10-31")
        #expect(project.sink().received.isEmpty, "the same episode: not new again")
        project.setCases(closed)
        for day in ["2026-11-01", "2026-11-02", "2026-11-03"] {
            try project.run(day)
            #expect(project.sink().received.isEmpty, "still kept on \(day)")
        }
        try project.run("2026-11-04")
        #expect(project.sink().received.summary == ["resolved open_past_30w C1"])
    }

    @Test func inhibitsHoldsBackTheNamedRulesAlertForTheSameCase() throws {
        let project = LifecycleProject(sinks: Self.sink)
        project.setCases(Self.cases)
        let outcome = try project.run("2026-10-29")
        // C2 is past 52 weeks: its 30-week alert is held back by `inhibits`.
        #expect(!project.sink().received.summary.contains("firing open_past_30w C2"))
        #expect(outcome.sinks.first?.inhibited == 1)
        let records = try project.store().alertRecords()
        #expect(records["open_past_30w||C2"]?.silencedBy == "inhibited by open_past_52w")
    }

    @Test func aCriticalInhibitsAWarningOfTheSameMeasureAndGroup() {
        let critical = Alert(
            kind: .kpi, rule: "a", title: "a", severity: .critical, group: ["team": "N"],
            labels: ["measure": "m"], message: "")
        let warning = Alert(
            kind: .kpi, rule: "b", title: "b", severity: .warning, group: ["team": "N"],
            labels: ["measure": "m"], message: "")
        let otherTeam = Alert(
            kind: .kpi, rule: "b", title: "b", severity: .warning, group: ["team": "S"],
            labels: ["measure": "m"], message: "")
        let day = Day(iso: "2026-10-29")!
        let records = [critical, warning, otherTeam].map {
            AlertRecord(alert: $0, state: .firing, firstSeen: day, lastSeen: day)
        }
        let held = Inhibition(policies: [:]).inhibited(records)
        #expect(held == [warning.identity: "inhibited by a"])
    }

    @Test func silencedAlertsAreRecordedNotSentUntilTheSilenceIsExpired() throws {
        let project = LifecycleProject(sinks: Self.sink)
        project.setCases([("C1", "North", "2026-03-01", nil)])
        let id = try project.store().addSilence(
            Silence(
                rule: "open_past_30w", matchers: ["team": "North"], until: Day(iso: "2026-12-31")!,
                comment: "known", createdOn: Day(iso: "2026-10-28")!))
        let outcome = try project.run("2026-10-29")
        #expect(project.sink().received.isEmpty)
        #expect(outcome.sinks.first?.silenced == 1)
        #expect(try project.store().alertRecords()["open_past_30w||C1"]?.silencedBy == "silence \(id)")
        #expect(try project.store().expireSilence(id: id))
        try project.run("2026-10-30")
        #expect(project.sink().received.summary == ["firing open_past_30w C1"])
    }

    @Test func routesByExactMatchRegexAndDefault() throws {
        let sinks = """
              - { type: "plugin:rec", name: critical, match: { severity: critical } }
              - { type: "plugin:rec", name: cases, match_re: { rule: "open_past_.*", team: "N.*" } }
              - { type: "plugin:rec", name: rest, default: true }
              - { type: "plugin:rec", name: all }
            """
        let project = LifecycleProject(sinks: sinks, sinkNames: ["critical", "cases", "rest", "all"])
        project.setCases(Self.cases + [("C3", "South", "2026-03-01", nil)])
        try project.run("2026-10-29")
        #expect(project.sink("critical").received.summary == ["firing open_past_52w C2"])
        #expect(project.sink("cases").received.summary == ["firing open_past_30w C1", "firing open_past_52w C2"])
        #expect(
            project.sink("rest").received.summary == [
                "firing open_cases ", "firing open_cases North", "firing open_past_30w C3",
            ])
        #expect(project.sink("all").received.count == 5)
    }

    @Test func groupBySendsOneBatchPerTeam() throws {
        let project = LifecycleProject(sinks: "  - { type: \"plugin:rec\", name: rec, group_by: [team] }")
        project.setCases([("C1", "North", "2026-03-01", nil), ("C3", "South", "2026-03-01", nil)])
        try project.run("2026-10-29")
        let teams = project.sink().batches.map { Set($0.map { $0.alert.labels["team"] ?? "" }) }
        #expect(teams.count == 3, "the overall value, North and South")
        #expect(teams.allSatisfy { $0.count == 1 })
    }

    @Test func aQuietWeekendHoldsNotificationsUntilMonday() throws {
        let project = LifecycleProject(sinks: "  - { type: \"plugin:rec\", name: rec, quiet: [weekends] }")
        project.setCases([("C1", "North", "2026-03-01", nil)])
        let saturday = try project.run("2026-10-31")
        #expect(project.sink().received.isEmpty)
        #expect(saturday.sinks.first?.held == 1)
        let waiting = try project.store().outbox(sink: "rec")
        #expect(waiting.map(\.heldUntil) == [Day(iso: "2026-11-02")])
        try project.run("2026-11-01")
        #expect(project.sink().received.isEmpty)
        try project.run("2026-11-02")
        #expect(project.sink().received.summary == ["firing open_past_30w C1"])
        #expect(try project.store().outbox().isEmpty)
        try project.run("2026-11-03")
        #expect(project.sink().received.isEmpty)
    }

    @Test func bankHolidaysAndQuietHoursHoldNotifications() throws {
        let schedule = QuietSchedule(
            bankHolidays: BankHolidays(days: [Day(iso: "2026-12-25")!: "Christmas Day"]),
            hours: [(start: 18 * 60, end: 8 * 60)])
        let christmas = QuietTime(
            schedule: schedule, asOf: Day(iso: "2026-12-25")!, clock: (Day(iso: "2026-12-25")!, 600))
        #expect(christmas.heldUntil == Day(iso: "2026-12-26"))
        let evening = QuietTime(
            schedule: schedule, asOf: Day(iso: "2026-12-01")!, clock: (Day(iso: "2026-12-01")!, 19 * 60))
        #expect(evening.heldUntil == Day(iso: "2026-12-02"))
        let earlyMorning = QuietTime(
            schedule: schedule, asOf: Day(iso: "2026-12-01")!, clock: (Day(iso: "2026-12-01")!, 7 * 60))
        #expect(earlyMorning.heldUntil == Day(iso: "2026-12-01"))
        let pastDay = QuietTime(
            schedule: schedule, asOf: Day(iso: "2026-11-30")!, clock: (Day(iso: "2026-12-01")!, 19 * 60))
        #expect(pastDay.heldUntil == nil, "hours apply only to a run for today")
        let holidays = try BankHolidays.load(path: TestPaths.repo("rules/uk_bank_holidays.yaml"))
        #expect(holidays.name(of: Day(iso: "2026-12-28")!) == "Boxing Day (substitute day)")
        #expect(holidays.days.keys.allSatisfy { $0.weekday <= 5 })
    }

    @Test func anOutageIsDeliveredExactlyOnceTheNextDay() throws {
        let project = LifecycleProject(sinks: Self.sink)
        project.setCases(Self.cases)
        project.sink().failing = true
        let failed = try project.run("2026-10-29")
        #expect(failed.sinks.first?.failed == 4)
        let waiting = try project.store().outbox(sink: "rec")
        #expect(waiting.count == 4)
        #expect(waiting.allSatisfy { $0.attempts == 1 && $0.lastError == "HTTP 503 from <url>" })
        project.sink().failing = false
        let recovered = try project.run("2026-10-30")
        #expect(project.sink().received.count == 4)
        #expect(Set(project.sink().received.map(\.deliveryID)).count == 4)
        #expect(recovered.sinks.first?.fromOutbox == 4)
        #expect(try project.store().outbox().isEmpty)
        try project.run("2026-10-31")
        #expect(project.sink().received.isEmpty)
    }

    @Test func aDryRunSendsNothingAndWritesNothing() throws {
        let project = LifecycleProject(sinks: Self.sink)
        project.setCases(Self.cases)
        try project.run("2026-10-29")
        let before = try Data(contentsOf: URL(fileURLWithPath: project.statePath))
        project.setCases([])
        let outcome = try project.run("2026-10-30", dryRun: true)
        #expect(project.sink().received.isEmpty)
        #expect(outcome.sinks.first?.resolved == 4)
        #expect(try Data(contentsOf: URL(fileURLWithPath: project.statePath)) == before)
    }

    @Test func forOnASnapshotKPICountsEarlierRunsFromTheStore() throws {
        let rules = LifecycleProject.rules.replacingOccurrences(
            of: "    thresholds: { critical: value > 3, warning: value > 1 }\n",
            with: "    thresholds: { critical: value > 3, warning: value > 1 }\n    for: 2\n")
        let project = LifecycleProject(sinks: Self.sink, rules: rules)
        project.setCases([("C1", "North", "2026-10-01", nil), ("C2", "North", "2026-10-01", nil)])
        try project.run("2026-10-29")
        #expect(project.sink().received.isEmpty, "one run in breach is not yet two")
        try project.run("2026-10-30")
        #expect(project.sink().received.summary == ["firing open_cases ", "firing open_cases North"])
    }
}
