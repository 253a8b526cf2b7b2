import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The summary-first text of `check`: KPIs by state, what changed since the last recorded run, alerts by severity,
/// then case alerts per rule with counts per team and the first few cases. NEW means new since the last recorded
/// run — not since the start of the day, and nothing at all on the first run.
@Suite struct CheckSummaryTests {
    /// What a stdout sink printed in one run.
    final class Printed: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ more: String) { lock.withLock { text += more } }
        var value: String { lock.withLock { text } }
    }

    struct Run {
        var summary: RunSummary
        /// What `check` prints before the sinks deliver: the summary and the KPI table.
        var report: String
        /// What the stdout sink printed: the alerts.
        var alerts: String
    }

    static func project() -> LifecycleProject {
        LifecycleProject(sinks: "  - type: stdout", sinkNames: [])
    }

    /// One check as the command runs it: the summary is worked out, printed, then the run is recorded and delivered.
    static func check(_ project: LifecycleProject, _ asOf: String, all: Bool = false) throws -> Run {
        let printed = Printed()
        var registry = SinkRegistry()
        var stdout = StdoutSink.descriptor
        stdout.factory = { _, _ in StdoutSink(write: { printed.append($0) }) }
        registry.register(stdout)
        let engine = Engine(sources: Engine.standard().sources, sinks: registry)
        let request = CheckRequest(configPath: project.configPath, asOf: Day(iso: asOf)!, listAll: all)
        let check = try CheckRun(request, engine: engine)
        let report = TextReport.render(check.evaluation, summary: check.summary, includeAlerts: false, all: all)
        try check.record()
        let outcome = check.deliver()
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        return Run(summary: check.summary, report: report, alerts: printed.value)
    }

    /// C1 past 52 weeks in North, C2 past 30 weeks in South, as of 2024-03-15.
    static let twoCases: [(String, String, String, String?)] = [
        ("C1", "North", "2023-01-02", nil), ("C2", "South", "2023-06-01", nil),
    ]

    @Test func theFirstRunMarksNothingNewAndSaysWhy() throws {
        let project = Self.project()
        project.setCases(Self.twoCases)
        let run = try Self.check(project, "2024-03-15")
        #expect(run.summary.previousAsOf == nil)
        #expect(
            run.report.contains("Changes    none shown: this is the first recorded run; the next run marks what is NEW")
        )
        #expect(run.report.contains("Alerts     3 firing: 1 critical, 2 warning (1 on a KPI, 2 on cases)\n"))
        #expect(!run.alerts.contains("NEW"), "\(run.alerts)")
        #expect(run.alerts.contains("    CRITICAL  Case C1 (North) is past 52 weeks\n"), "\(run.alerts)")
    }

    @Test func newMeansNewSinceTheLastRecordedRunEvenOnTheSameDay() throws {
        let project = Self.project()
        project.setCases(Self.twoCases)
        _ = try Self.check(project, "2024-03-15")

        // A second run the same day, with a third case past 30 weeks: only that one is new.
        project.setCases(Self.twoCases + [("C3", "West", "2023-07-01", nil)])
        let second = try Self.check(project, "2024-03-15")
        #expect(second.summary.previousAsOf == Day(iso: "2024-03-15"))
        #expect(second.report.contains("; 1 new, 0 resolved\n"), "\(second.report)")
        #expect(second.alerts.contains("    WARNING NEW  Case C3 (West) is past 30 weeks\n"), "\(second.alerts)")
        #expect(second.alerts.components(separatedBy: "NEW").count == 2, "C3 only: \(second.alerts)")
        #expect(second.alerts.contains("[open_past_30w] open_past_30w: 2 cases, 1 new (South 1, West 1)"))

        // Again the same day with the same data: nothing is new any more.
        let third = try Self.check(project, "2024-03-15")
        #expect(third.report.contains("Changes    no KPI changed state since the run as of 2024-03-15\n"))
        #expect(third.report.contains("; none new or resolved\n"), "\(third.report)")
        #expect(!third.alerts.contains("NEW"), "\(third.alerts)")

        // C2 closes: its alert resolves, named by case id.
        project.setCases([
            Self.twoCases[0], ("C2", "South", "2023-06-01", "2024-03-14"), ("C3", "West", "2023-07-01", nil),
        ])
        let fourth = try Self.check(project, "2024-03-15")
        #expect(fourth.report.contains("; 0 new, 1 resolved\n"), "\(fourth.report)")
        #expect(fourth.alerts.contains("    RESOLVED  C2\n"), "\(fourth.alerts)")
    }

    @Test func kpisThatChangedStateAreNamedWithTheirGroups() throws {
        let project = Self.project()
        // Two open (All: warning), one per team (ok).
        project.setCases(Self.twoCases)
        _ = try Self.check(project, "2024-03-15")
        // Four open (All: critical), three in North (warning).
        project.setCases(
            Self.twoCases + [("C3", "North", "2024-03-01", nil), ("C4", "North", "2024-03-01", nil)])
        let worse = try Self.check(project, "2024-03-16")
        #expect(
            worse.report.contains("Changes    since the run as of 2024-03-15: 1 KPI newly breached, 1 now critical\n"),
            "\(worse.report)")
        #expect(worse.report.contains("           newly breached  open_cases (North) warning\n"), "\(worse.report)")
        #expect(worse.report.contains("           now critical    open_cases critical\n"), "\(worse.report)")
        #expect(worse.report.contains("KPIs       1 evaluated: 1 critical\n"))
        // One open: every value is ok again.
        project.setCases([Self.twoCases[0]])
        let recovered = try Self.check(project, "2024-03-17")
        #expect(
            recovered.report.contains(
                "Changes    since the run as of 2024-03-16: 1 KPI recovered\n"
                    + "           recovered  open_cases (all, North)\n"), "\(recovered.report)")
        #expect(recovered.report.contains("KPIs       1 evaluated: 1 ok\n"))
        #expect(recovered.report.contains("No KPI is in breach.\n"))
    }

    @Test func caseAlertsAreGroupedPerRuleWithCountsPerTeamAndTheFirstFewCases() throws {
        let project = Self.project()
        let teams = ["North", "North", "South", "North", "West", "South", "North"]
        project.setCases(teams.enumerated().map { ("C\($0.offset + 1)", $0.element, "2023-06-01", nil) })
        let run = try Self.check(project, "2024-03-15")
        #expect(
            run.alerts.contains("  [open_past_30w] open_past_30w: 7 cases (North 4, South 2, West 1)\n"),
            "\(run.alerts)")
        let listed = run.alerts.split(separator: "\n").filter { $0.hasPrefix("    WARNING  Case ") }
        #expect(listed.map { $0.split(separator: " ")[2] } == ["C1", "C2", "C3", "C4", "C5"])
        #expect(run.alerts.contains("    … and 2 more cases\n"))
        #expect(run.alerts.contains("the first 5 of each rule shown, --all lists every case"))

        let all = try Self.check(project, "2024-03-15", all: true)
        let every = all.alerts.split(separator: "\n").filter { $0.hasPrefix("    WARNING  Case ") }
        #expect(every.count == 7)
        #expect(!all.alerts.contains("more case"))
        // Names and dates of birth are in the data; neither reaches the output.
        for text in [run.report, run.alerts, all.report, all.alerts] {
            #expect(!text.contains("ZZPRIVATE") && !text.contains("2014-03-1"))
        }
    }

    @Test func pluralsAgreeWithTheirCounts() {
        func notice(_ key: String, team: String) -> AlertNotice {
            AlertNotice(
                alert: Alert(
                    kind: .caseAlert, rule: "late", title: "Late", severity: .warning, key: key, labels: ["team": team],
                    message: "Case \(key) is late"),
                firstSeen: Day(iso: "2024-03-15")!)
        }
        let one = AlertListing.render([notice("A", team: "North")], new: nil)
        #expect(one.contains("  [late] Late: 1 case (North 1)\n"), "\(one)")
        let six = AlertListing.render((1...6).map { notice("A\($0)", team: "North") }, new: nil)
        #expect(six.contains("  [late] Late: 6 cases (North 6)\n"), "\(six)")
        #expect(six.contains("    … and 1 more case\n"), "\(six)")
        #expect(Counted.text(1, "KPI") == "1 KPI" && Counted.text(1_095, "alert") == "1,095 alerts")
    }

    /// The demo through the executable: by default at most five cases of each rule, with `--all` every case alert
    /// the file sink delivered, and no child's name either way.
    @Test func theDemoListsTheFirstCasesOfEachRuleAndAllOfThemWithAll() throws {
        let folder = try DemoOutputTests.demoCopy()
        let config = folder.path + "/kpiwatch.yaml"
        let brief = try runKPIWatch(["check", "--config", config, "--dry-run"], environment: ["NO_COLOR": "1"])
        let full = try runKPIWatch(["check", "--config", config, "--all"], environment: ["NO_COLOR": "1"])
        #expect(full.status == 2, "\(full.stderr)")
        let written = try String(contentsOfFile: folder.path + "/out/alerts.jsonl", encoding: .utf8)
        let keys = written.split(separator: "\n").compactMap { line -> (rule: String, key: String)? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let key = object["key"] as? String, let rule = object["rule"] as? String
            else { return nil }
            return (rule, key)
        }
        #expect(keys.count > 100)
        for (rule, key) in keys { #expect(full.stdout.contains("Case \(key) "), "\(rule) \(key)") }
        let perRule = Dictionary(grouping: keys, by: \.rule).mapValues(\.count)
        let briefCases = brief.stdout.split(separator: "\n").filter {
            $0.hasPrefix("    WARNING  Case") || $0.hasPrefix("    CRITICAL  Case")
        }
        #expect(briefCases.count == perRule.values.map { min($0, AlertListing.shownPerRule) }.reduce(0, +))
        for (rule, count) in perRule {
            #expect(brief.stdout.contains("  [\(rule)] ") && brief.stdout.contains(": \(Counted.text(count, "case"))"))
        }
        // Child Name and Date of Birth, the third and fourth columns of the export.
        let personal = try String(contentsOfFile: folder.path + "/data/assessments.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(300).flatMap { row in
                row.split(separator: ",", omittingEmptySubsequences: false).dropFirst(2).prefix(2).map(String.init)
            }
        for text in personal where text.count > 3 {
            #expect(!brief.stdout.contains(text) && !full.stdout.contains(text), "\(text)")
        }
    }
}
