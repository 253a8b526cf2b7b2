import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The `check` use case driven in process: rows served from memory, alerts to a recording sink, no executable.
@Suite struct CheckRunTests {
    static let rules = """
        kpis:
          - id: open_cases
            dataset: cases
            period: snapshot
            value: count(closed is null)
            group_by: [team]
            thresholds: { critical: value > 2, warning: value > 1 }
            message: "{team}: {value} open cases"

        """

    /// A project whose `cases` dataset names a CSV file that does not exist: every run reads it from memory.
    static func project(sinks: String = "  - { type: \"plugin:rec\" }\n") -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        folder.write("rules.yaml", rules)
        folder.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules.yaml]
            state: state/state.sqlite
            datasets:
              cases:
                source: csv
                path: never-written.csv
                date_format: dd/MM/yyyy
                fields:
                  case_id: { column: Case, key: true }
                  team: Team
                  closed: { column: Closed, type: date }
            sinks:
            \(sinks)
            """)
        return folder
    }

    static func cases(_ rows: [[String?]]) -> [String: MemorySource] {
        ["cases": MemorySource(origin: "memory: cases", columns: ["Case", "Team", "Closed"], textRows: rows)]
    }

    /// One check as of `asOf` over `rows`, delivering to `sink`.
    static func check(
        _ folder: TemporaryDirectory, _ rows: [[String?]], sink: RecordingSink, asOf: String = "2024-03-15",
        dryRun: Bool = false
    ) throws -> CheckOutcome {
        var registry = SinkRegistry()
        registry.register(SinkDescriptor(type: "plugin:rec") { _, _ in sink })
        let engine = Engine(sources: Engine.standardSources, sinks: registry)
        let config = folder.path + "/kpiwatch.yaml"
        let (project, serving) = engine.serving(cases(rows), in: try engine.load(configPath: config))
        let request = CheckRequest(configPath: config, asOf: Day(iso: asOf)!, dryRun: dryRun)
        return CheckRun.run(request, engine: serving, project: project)
    }

    @Test func anOutcomeHoldsTheValuesTheAlertsAndWhatWasDelivered() throws {
        let folder = Self.project()
        let sink = RecordingSink(name: "rec")
        let rows: [[String?]] = [
            ["C1", "North", nil], ["C2", "North", nil], ["C3", "North", "01/03/2024"], ["C4", "South", nil],
        ]
        let outcome = try Self.check(folder, rows, sink: sink)
        #expect(outcome.problems.isEmpty)
        let evaluation = try #require(outcome.evaluation)
        let north = try #require(evaluation.current("open_cases", group: ["team": "North"]))
        #expect(north.value == 2)
        #expect(evaluation.current("open_cases", group: ["team": "South"])?.value == 1)
        // Three open in all (critical), two in North (warning).
        #expect(Set(evaluation.alerts.map(\.severity)) == [.critical, .warning])
        #expect(outcome.delivery?.new.count == 2)
        #expect(sink.received.map(\.alert.message).sorted() == ["All: 3 open cases", "North: 2 open cases"])
        #expect(outcome.exitCode == 2)
        // No file was read: the dataset was served from memory.
        #expect(evaluation.datasets.first?.origin == "memory: cases")
    }

    @Test func theNextRunRemembersWhatWasSentAndResolvesWhatCleared() throws {
        let folder = Self.project()
        let sink = RecordingSink(name: "rec")
        _ = try Self.check(folder, [["C1", "North", nil], ["C2", "North", nil]], sink: sink, asOf: "2024-03-15")
        sink.reset()
        let same = try Self.check(
            folder, [["C1", "North", nil], ["C2", "North", nil]], sink: sink, asOf: "2024-03-16")
        #expect(sink.received.isEmpty, "within the repeat interval")
        // Two open in all and in North: two warnings, both already sent.
        #expect(same.delivery?.sinks.first?.repeatSuppressed == 2)
        let cleared = try Self.check(folder, [["C1", "North", nil]], sink: sink, asOf: "2024-03-17")
        #expect(cleared.delivery?.resolved.count == 2)
        #expect(sink.received.map(\.status) == [.resolved, .resolved])
        #expect(cleared.exitCode == 0)
    }

    @Test func aDryRunSendsNothingAndRecordsNothing() throws {
        let folder = Self.project()
        let sink = RecordingSink(name: "rec")
        let dry = try Self.check(folder, [["C1", "North", nil], ["C2", "North", nil]], sink: sink, dryRun: true)
        #expect(dry.evaluation?.alerts.count == 2)
        #expect(sink.received.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/state/state.sqlite"))
    }

    @Test func aProjectThatCannotLoadIsAProblemAndNothingRuns() throws {
        let folder = Self.project()
        folder.write("rules.yaml", Self.rules.replacingOccurrences(of: "value > 2", with: "valeu > 2"))
        let request = CheckRequest(configPath: folder.path + "/kpiwatch.yaml", asOf: Day(iso: "2024-03-15")!)
        var registry = SinkRegistry()
        registry.register(SinkDescriptor(type: "plugin:rec") { _, _ in RecordingSink(name: "rec") })
        let outcome = CheckRun.run(request, engine: Engine(sources: Engine.standardSources, sinks: registry))
        #expect(outcome.evaluation == nil && outcome.delivery == nil)
        #expect(outcome.exitCode == 3)
        #expect(outcome.problems.map(\.description).contains { $0.contains("rules.yaml:7:") && $0.contains("'valeu'") })
    }
}
