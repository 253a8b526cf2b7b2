import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchPlugins

/// A project folder with one Python plugin written by the test, and a KPI counting its records.
struct PluginFixture {
    let folder = TemporaryDirectory()

    init(kind: String = "source", manifest extra: String = "", script: String, arguments: [String] = []) {
        let argv = (["python3", "main.py"] + arguments).map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }
        folder.write(
            "plugins/probe/plugin.yaml",
            "name: probe\nkind: \(kind)\ncommand: [\(argv.joined(separator: ", "))]\n" + extra)
        folder.write("plugins/probe/main.py", "import json, os, sys\n" + script)
        folder.write(
            "rules/count.yaml",
            """
            kpis:
              - id: records
                title: Records
                dataset: cases
                period: all
                value: count()
                unit: count
            """)
        folder.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules]
            datasets:
              cases:
                source: plugin:probe
                greeting: "hello"
                limit: 3
                fields:
                  case_id: { column: id, key: true }
                  age: { column: age, type: int }
            """)
    }

    var projectFile: String { folder.path + "/kpiwatch.yaml" }

    func source(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PluginSource {
        let engine = Engine.standard()
        let config = try Engine.standard().loadConfig(path: projectFile)
        let source = try engine.sources.makeSource(for: config.datasets[0], in: config) as! PluginSource
        return PluginSource(
            process: PluginProcess(
                manifest: source.process.manifest, workingDirectory: config.directory,
                parentEnvironment: environment), input: source.input)
    }

    func rows(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [SourceRow] {
        var rows: [SourceRow] = []
        try source(environment: environment).scan(columns: ["id", "age"]) { rows.append($0) }
        return rows
    }

    func evaluate() throws -> Evaluation { try evaluateProject(projectFile, asOf: "2024-03-31") }

    /// A plugin that writes its pid (in the project folder, its working directory) and the header, then sleeps for
    /// a minute and leaves a mark: once a call returns, `expectStopped` tells from the process table and the mark,
    /// not from a stopwatch, that it was stopped rather than waited for.
    static let sleeper = """
        open("pid", "w").write(str(os.getpid()))
        \(headerLine)
        sys.stdout.flush()
        import time
        time.sleep(60)
        open("slept-through", "w").close()
        """

    func expectStopped(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let folder = self.folder.path + "/"
        let pid = try String(contentsOfFile: folder + "pid", encoding: .utf8)
        // Gone, or at most a zombie: its state is the field after the name in parentheses.
        let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let state = stat?.split(separator: ")").last?.split(separator: " ").first
        #expect(stat == nil || state == "Z", "plugin process \(pid) still runs", sourceLocation: sourceLocation)
        #expect(
            !FileManager.default.fileExists(atPath: folder + "slept-through"), "the plugin ran to its end",
            sourceLocation: sourceLocation)
    }
}

let headerLine = #"print(json.dumps({"fields": {"id": "string", "age": "int"}}))"#

@Suite struct PluginProtocolTests {
    @Test func goodPluginReceivesItsOptionsAndItsRecordsAreEvaluated() throws {
        let plugin = PluginFixture(
            script: """
                config = json.loads(sys.stdin.read())
                \(headerLine)
                for i in range(config["limit"]):
                    print(json.dumps({"id": config["greeting"] + str(i), "age": i, "fields_seen": None}
                        if False else {"id": config["greeting"] + str(i), "age": i}))
                """)
        let rows = try plugin.rows()
        #expect(
            rows.map(\.cells) == [
                [.text("hello0"), .int(0)], [.text("hello1"), .int(1)], [.text("hello2"), .int(2)],
            ])
        #expect(rows.map(\.number) == [2, 3, 4])
        let evaluation = try plugin.evaluate()
        #expect(evaluation.current("records")?.value == 3)
    }

    @Test func pluginStdinHoldsOptionsAndFieldsButNotCommonKeys() throws {
        let plugin = PluginFixture(script: "")
        let input = try JSONSerialization.jsonObject(with: plugin.source().input) as! [String: Any]
        #expect(Set(input.keys) == ["greeting", "limit", "fields"])
        #expect(input["limit"] as? Int == 3)
        let fields = input["fields"] as! [String: [String: Any]]
        #expect(fields["age"]?["column"] as? String == "id" || fields["age"]?["type"] as? String == "int")
    }

    @Test func badJSONOnLine3IsAnErrorNamingThePluginAndTheLine() throws {
        let plugin = PluginFixture(
            script: """
                \(headerLine)
                print(json.dumps({"id": "A", "age": 1}))
                print('{"id": "B", "age": ')
                """)
        let error = #expect(throws: Diagnostic.self) { try plugin.rows() }
        #expect(error?.message.hasPrefix("plugin 'probe' wrote invalid JSON on line 3") == true)
        #expect(error?.place == "plugin 'probe', line 3")
    }

    @Test func recordBeforeTheHeaderIsAnError() throws {
        let plugin = PluginFixture(script: #"print(json.dumps({"id": "A", "age": 1}))"#)
        let error = #expect(throws: Diagnostic.self) { try plugin.rows() }
        #expect(error?.message == "plugin 'probe' wrote a record before the header: line 1 has no \"fields\" object")
    }

    @Test func valueOfTheWrongJSONTypeIsAnErrorNamingKeyAndLine() throws {
        let plugin = PluginFixture(
            script: """
                \(headerLine)
                print(json.dumps({"id": "A", "age": "12"}))
                """)
        let error = #expect(throws: Diagnostic.self) { try plugin.rows() }
        #expect(
            error?.message
                == "plugin 'probe' wrote \"age\" on line 2 as a string; its header declares int, so it must be a whole number or null"
        )
    }

    @Test func crashMidwayFailsTheDatasetAndNothingIsEvaluated() throws {
        let plugin = PluginFixture(
            script: """
                \(headerLine)
                print(json.dumps({"id": "A", "age": 1}))
                print(json.dumps({"id": "B", "age": 2}))
                sys.stdout.flush()
                print("lost the connection to the case system", file=sys.stderr)
                sys.exit(1)
                """)
        let error = #expect(throws: Diagnostic.self) { try plugin.rows() }
        #expect(error?.message.hasPrefix("plugin 'probe' exited with status 1") == true)
        #expect(error?.message.contains("lost the connection to the case system") == true)
        let evaluation = try plugin.evaluate()
        #expect(evaluation.datasets.first?.status == .error)
        #expect(evaluation.datasets.first?.problems.first?.description.contains("exited with status 1") == true)
        #expect(evaluation.current("records")?.value == nil)
    }

    @Test func pluginThatRunsPastItsTimeoutIsStopped() throws {
        let plugin = PluginFixture(
            manifest: "timeout: 1s\n", script: PluginFixture.sleeper)
        let error = #expect(throws: Diagnostic.self) { try plugin.rows() }
        #expect(error?.message.hasPrefix("plugin 'probe' timed out after 1s") == true)
        try plugin.expectStopped()
    }

    @Test func pluginWritingMoreThanItsCapIsStopped() throws {
        let plugin = PluginFixture(
            manifest: "max_output_bytes: 10000\n",
            script: """
                \(headerLine)
                while True:
                    print(json.dumps({"id": "x" * 100, "age": 1}))
                """)
        let error = #expect(throws: Diagnostic.self) { try plugin.rows() }
        #expect(error?.message == "plugin 'probe' wrote more than 10000 bytes of output and was stopped")
    }

    @Test func argumentsReachThePluginLiterallyWithoutAShell() throws {
        let plugin = PluginFixture(
            script: """
                \(headerLine)
                print(json.dumps({"id": sys.argv[1] + "|" + sys.argv[2], "age": len(sys.argv)}))
                """, arguments: ["a; touch pwned", "$(echo hi) `id`"])
        let rows = try plugin.rows()
        #expect(rows.first?.cells == [.text("a; touch pwned|$(echo hi) `id`"), .int(3)])
        #expect(!FileManager.default.fileExists(atPath: plugin.folder.path + "/pwned"))
    }

    @Test func pluginSeesOnlyTheEnvironmentItsManifestNames() throws {
        let plugin = PluginFixture(
            manifest: "env: [KPI_PORTAL_TOKEN]\n",
            script: """
                \(headerLine)
                names = sorted(k for k in os.environ if k.startswith("KPI"))
                print(json.dumps({"id": ",".join(names), "age": len(os.environ.get("KPI_PORTAL_TOKEN", ""))}))
                """)
        var environment = ProcessInfo.processInfo.environment
        environment["KPI_PORTAL_TOKEN"] = "abc"
        environment["KPI_OTHER_SECRET"] = "xyz"
        let rows = try plugin.rows(environment: environment)
        #expect(rows.first?.cells == [.text("KPIWATCH_PLUGIN_DIR,KPIWATCH_PROJECT_DIR,KPI_PORTAL_TOKEN"), .int(3)])
    }

    @Test func columnNamesComeFromTheHeaderAndStopThePlugin() throws {
        let plugin = PluginFixture(script: PluginFixture.sleeper)
        #expect(try plugin.source().columnNames() == ["age", "id"])
        try plugin.expectStopped()
    }

    @Test func unknownPluginSuggestsTheNearestName() throws {
        let plugin = PluginFixture(script: "")
        let config = try Engine.standard().loadConfig(path: plugin.projectFile)
        var dataset = config.datasets[0]
        dataset.source = "plugin:prob"
        let error = #expect(throws: Diagnostic.self) {
            try Engine.standard().sources.makeSource(for: dataset, in: config)
        }
        #expect(error?.message == "no plugin named 'prob'")
        #expect(error?.hint?.hasPrefix("did you mean 'plugin:probe'?") == true)
    }

    @Test func sinkPluginReportsEachNotification() throws {
        let plugin = PluginFixture(
            kind: "sink",
            script: """
                lines = sys.stdin.read().splitlines()
                config = json.loads(lines[0])
                for line in lines[1:]:
                    n = json.loads(line)
                    if n["key"] == "C1":
                        print(json.dumps({"id": n["id"], "ok": True}))
                    elif n["key"] == "C2":
                        print(json.dumps({"id": n["id"], "ok": False, "error": "mailbox full " + config["to"]}))
                """)
        let config = try Engine.standard().loadConfig(path: plugin.projectFile)
        let manifest = try PluginDirectory(project: config).plugin(named: "probe", as: .sink, at: nil)
        let sink = PluginSink(
            process: PluginProcess(manifest: manifest, workingDirectory: config.directory),
            options: [("to", .string("send@example.org"))])
        let notifications = ["C1", "C2", "C3"].map {
            AlertNotice(
                alert: Alert(kind: .caseAlert, rule: "late", title: "Late", severity: .warning, key: $0, message: $0),
                firstSeen: Day(iso: "2024-03-31")!)
        }
        let report = sink.send(notifications, context: RunContext(asOf: Day(iso: "2024-03-31")!, projectFile: "p"))
        #expect(report.delivered == [notifications[0].deliveryID])
        #expect(report.failures[notifications[1].deliveryID] == "plugin 'probe': mailbox full send@example.org")
        #expect(report.failures[notifications[2].deliveryID] == "plugin 'probe' gave no answer for this alert")
    }

    @Test func sourcePluginUsedAsASinkIsRefused() throws {
        let plugin = PluginFixture(script: "")
        let config = try Engine.standard().loadConfig(path: plugin.projectFile)
        let error = #expect(throws: Diagnostic.self) {
            try PluginDirectory(project: config).plugin(named: "probe", as: .sink, at: nil)
        }
        #expect(error?.message == "plugin 'probe' is a source plugin, not a sink")
    }

    @Test func manifestErrorsAreReportedAtTheirLine() throws {
        let folder = TemporaryDirectory()
        folder.write("plugins/bad/plugin.yaml", "name: bad\nkind: sauce\ncommand: python3 main.py\ntimout: 5s\n")
        let entries = PluginDirectory(folders: [folder.path + "/plugins"]).discover()
        let errors = entries.first?.errors.map { "\($0.location!.line): \($0.message)" } ?? []
        #expect(
            errors == [
                "4: unknown key 'timout' in the plugin manifest",
                "2: 'kind' must be one of source, sink; got 'sauce'",
                "3: 'command' must be a list of words, since no shell splits it",
            ])
    }
}
