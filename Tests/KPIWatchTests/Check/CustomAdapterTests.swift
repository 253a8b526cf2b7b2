import Foundation
import KPIWatch
import KPIWatchCore
import KPIWatchEngine
import Testing

/// A source and a sink type registered from outside the library, through its public API only (no `@testable`
/// import here): the project loader checks their keys as it checks the built-in types', and `CheckRun` drives them
/// in memory.
@Suite struct CustomAdapterTests {
    /// Rows by the `table:` a dataset names.
    static let tables = [
        "cases": MemorySource(
            origin: "memory: cases", columns: ["Case", "Team", "Closed"],
            textRows: [["C1", "North", nil], ["C2", "North", nil], ["C3", "South", "01/03/2024"]])
    ]

    static let memory = SourceDescriptor(
        type: "memory", summary: "rows held by the test",
        keys: [.required("table", .text, doc: "the name the rows are held under")]
    ) { dataset, _ in
        guard let table = dataset.option("table"), let source = tables[table] else {
            throw Diagnostic(
                "no table '\(dataset.option("table") ?? "")' in memory", at: dataset.optionLocation("table"))
        }
        return source
    }

    /// What the recording sink was made with, so a test sees the options it parsed.
    final class Recorder: Sink, @unchecked Sendable {
        let name: String
        let limit: Int
        private let lock = NSLock()
        private var notices: [AlertNotice] = []

        init(name: String, limit: Int) {
            self.name = name
            self.limit = limit
        }

        var received: [AlertNotice] { lock.withLock { notices } }

        func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport {
            lock.withLock { notices += notifications.prefix(limit) }
            return .allDelivered(notifications)
        }
    }

    static func recording(_ made: @escaping @Sendable (Recorder) -> Void) -> SinkDescriptor {
        SinkDescriptor(
            type: "recording", summary: "keeps what it is sent",
            keys: [
                .required("channel", .text, doc: "the recorder's name"),
                AdapterKey("limit", .integer, doc: "notifications kept per run; default 100"),
            ]
        ) { config, _ in
            let recorder = Recorder(
                name: config.option("channel") ?? "", limit: config.option("limit").flatMap(Int.init) ?? 100)
            made(recorder)
            return recorder
        }
    }

    static func project(dataset: String = "    table: cases\n", sink: String = "    channel: north\n")
        -> TemporaryDirectory
    {
        let folder = TemporaryDirectory()
        folder.write("rules.yaml", CheckRunTests.rules)
        folder.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules.yaml]
            state: state/state.sqlite
            datasets:
              cases:
                source: memory
            \(dataset)    date_format: dd/MM/yyyy
                fields:
                  case_id: { column: Case, key: true }
                  team: Team
                  closed: { column: Closed, type: date }
            sinks:
              - type: recording
            \(sink)
            """)
        return folder
    }

    final class Made: @unchecked Sendable {
        private let lock = NSLock()
        private var recorders: [Recorder] = []
        func add(_ recorder: Recorder) { lock.withLock { recorders.append(recorder) } }
        var all: [Recorder] { lock.withLock { recorders } }
    }

    static func engine(_ made: Made) -> Engine {
        var engine = Engine.standard()
        engine.sources.register(memory)
        engine.sinks.register(recording { made.add($0) })
        return engine
    }

    static func check(_ folder: TemporaryDirectory, _ made: Made = Made()) -> CheckOutcome {
        let request = CheckRequest(configPath: folder.path + "/kpiwatch.yaml", asOf: Day(iso: "2024-03-15")!)
        return CheckRun.run(request, engine: engine(made))
    }

    @Test func aCheckRunsOnASourceAndASinkRegisteredFromOutside() throws {
        let made = Made()
        let outcome = Self.check(Self.project(sink: "    channel: north\n    limit: 1\n"), made)
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        let evaluation = try #require(outcome.evaluation)
        #expect(evaluation.datasets.first?.origin == "memory: cases")
        #expect(evaluation.current("open_cases", group: ["team": "North"])?.value == 2)
        // Two open in all and in North: two warnings, of which the sink keeps its `limit`.
        let recorder = try #require(made.all.first)
        #expect(recorder.name == "north")
        #expect(recorder.limit == 1)
        #expect(recorder.received.count == 1)
        #expect(outcome.delivery?.new.count == 2)
        #expect(outcome.exitCode == 1)
    }

    /// The problems of a check that could not load its project, as `file:line:column: error: …; hint` lines.
    static func problems(_ folder: TemporaryDirectory) -> [String] {
        let outcome = check(folder)
        #expect(outcome.evaluation == nil)
        #expect(outcome.exitCode == 3)
        return outcome.problems.map { $0.description.replacingOccurrences(of: folder.path + "/", with: "") }
    }

    @Test func aMisspeltKeyOfACustomTypeIsLocatedWithTheNearestKey() {
        let folder = Self.project(dataset: "    tabel: cases\n", sink: "    chanel: north\n")
        #expect(
            Self.problems(folder) == [
                "kpiwatch.yaml:6:5: error: dataset 'cases' has no 'table'; "
                    + "a memory source needs 'table': the name the rows are held under",
                "kpiwatch.yaml:7:5: error: unknown key 'tabel' in dataset 'cases'; did you mean 'table'?",
                "kpiwatch.yaml:14:5: error: a recording sink has no 'channel'; "
                    + "a recording sink needs 'channel': the recorder's name",
                "kpiwatch.yaml:15:5: error: unknown key 'chanel' in a recording sink; did you mean 'channel'?",
            ])
    }

    @Test func aKeyOfNoTypeListsTheValidKeysAndAWrongValueIsNamed() {
        let folder = Self.project(
            dataset: "    table: cases\n    sheet: 2\n", sink: "    channel: north\n    limit: many\n    colour: red\n")
        let problems = Self.problems(folder)
        #expect(problems.count == 3, "\(problems)")
        #expect(
            problems.contains(
                "kpiwatch.yaml:8:5: error: unknown key 'sheet' in dataset 'cases'; "
                    + "a memory source reads table; 'sheet' belongs to other sources"))
        #expect(
            problems.contains { $0.hasPrefix("kpiwatch.yaml:17:12: error: 'limit' must be a whole number; got 'many'") }
        )
        #expect(
            problems.contains {
                $0.hasPrefix("kpiwatch.yaml:18:5: error: unknown key 'colour' in a recording sink; valid keys: ")
                    && $0.contains("channel") && $0.contains("limit") && $0.contains("repeat_interval")
            })
    }

    @Test func anUnknownSourceListsTheRegisteredOnesWithTheCustomOne() {
        let folder = Self.project()
        let text = try! String(contentsOfFile: folder.path + "/kpiwatch.yaml", encoding: .utf8)
        folder.write("kpiwatch.yaml", text.replacingOccurrences(of: "source: memory", with: "source: memroy"))
        #expect(
            Self.problems(folder) == [
                "kpiwatch.yaml:6:13: error: unknown source 'memroy' in dataset 'cases'; did you mean 'memory'?"
            ])
    }
}
