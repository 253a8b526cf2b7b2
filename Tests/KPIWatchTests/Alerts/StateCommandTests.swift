import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// `check`, `silence` and `outbox` as a user runs them: the state store, the lock, dry runs and privacy.
@Suite(.serialized) struct StateCommandTests {
    static let sinks = """
          - type: stdout
          - { type: file, path: out/alerts.jsonl }
          - { type: file, path: out/alerts.csv, format: csv }
        """

    func project() -> LifecycleProject {
        let project = LifecycleProject(sinks: Self.sinks, sinkNames: [])
        project.setCases([("C1", "North", "2026-03-01", nil), ("C2", "North", "2025-09-01", nil)])
        return project
    }

    @Test func personalFieldsReachNoOutputLogOrStateStore() throws {
        let project = project()
        var outputs: [String] = []
        for (day, format) in [("2026-10-29", "text"), ("2026-10-30", "json")] {
            let result = try runKPIWatch(
                ["check", "--config", project.configPath, "--as-of", day, "--format", format, "-v"])
            #expect(result.status == 1 || result.status == 2, "\(result.stderr)")
            // `-v` logs each notice's fate by its id: the case id, never the child.
            #expect(result.stderr.contains("|C1#firing"), "\(result.stderr)")
            outputs += [result.stdout, result.stderr]
        }
        project.setCases([])
        let resolved = try runKPIWatch(["check", "--config", project.configPath, "--as-of", "2026-10-31"])
        outputs += [resolved.stdout, resolved.stderr]
        outputs.append(try runKPIWatch(["outbox", "--config", project.configPath]).stdout)
        for file in ["out/alerts.jsonl", "out/alerts.csv", "state/state.sqlite"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: project.folder.path + "/" + file))
            #expect(!data.isEmpty, "\(file) was written")
            outputs.append(String(decoding: data, as: UTF8.self))
        }
        #expect(outputs.joined().contains("C1"), "the outputs do name the case")
        for secret in ["ZZPRIVATE", "Ottoline", "Quaxley", "2014-03-1"] {
            #expect(outputs.allSatisfy { !$0.contains(secret) }, "\(secret) leaked")
        }
    }

    @Test func aDryRunLeavesTheStoreByteIdentical() throws {
        let project = project()
        _ = try runKPIWatch(["check", "--config", project.configPath, "--as-of", "2026-10-29"])
        let files = try FileManager.default.contentsOfDirectory(atPath: project.folder.path + "/state").sorted()
        let before = try Data(contentsOf: URL(fileURLWithPath: project.statePath))
        let jsonl = try Data(contentsOf: URL(fileURLWithPath: project.folder.path + "/out/alerts.jsonl"))
        project.setCases([])
        let dry = try runKPIWatch(["check", "--config", project.configPath, "--as-of", "2026-10-30", "--dry-run"])
        #expect(dry.stderr.contains("would be sent"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: project.statePath)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.folder.path + "/state").sorted() == files)
        #expect(try Data(contentsOf: URL(fileURLWithPath: project.folder.path + "/out/alerts.jsonl")) == jsonl)
    }

    @Test func aSecondRunWaitsForTheFirstAndBothComplete() throws {
        let project = project()
        var lock: RunLock? = try RunLock(statePath: project.statePath)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.executable)
        process.arguments = ["check", "--config", project.configPath, "--as-of", "2026-10-29"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Read until the run says it waits (or ends without waiting), however long a loaded machine takes to get
        // there: a fixed sleep could pass before the run reached the lock, and the lock was then let go too soon.
        var said = Data()
        let reader = err.fileHandleForReading
        while !String(decoding: said, as: UTF8.self).contains("; waiting") {
            let more = reader.availableData
            if more.isEmpty { break }
            said += more
        }
        #expect(process.isRunning, "it waits while the lock is held")
        _ = lock
        lock = nil
        said += reader.readDataToEndOfFile()
        let stderr = String(decoding: said, as: UTF8.self)
        process.waitUntilExit()
        #expect(stderr.contains("another kpiwatch run holds \(project.statePath).lock (pid \(getpid())); waiting"))
        #expect(process.terminationStatus == 2)

        // Two runs started together both finish, one after the other, and the store holds both.
        let days = ["2026-10-30", "2026-10-31"]
        let processes = days.map { day in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestPaths.executable)
            process.arguments = ["check", "--config", project.configPath, "--as-of", day]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        let results = processes.map(\.terminationStatus)
        #expect(Array(results) == [2, 2])
        let store = try project.store()
        #expect(try store.runCount() == 3)
        #expect(try store.history(kpi: "open_cases").map(\.asOf.iso) == ["2026-10-29"] + days)
    }

    @Test func silencesAreAddedListedAndExpiredFromTheCommandLine() throws {
        let project = project()
        // `list` says active or ended by the real date: a fixed end (it was 2026-12-31) would have turned the test
        // red on the first day after it. A month from today lasts the run, and covers the check's as-of day.
        let until = Engine.today(in: "Europe/London").adding(days: 30).iso
        let add = try runKPIWatch([
            "silence", "add", "--config", project.configPath, "--rule", "open_past_30w", "--match", "team=North",
            "--until", until, "--comment", "known backlog",
        ])
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "silence 1 added, until \(until)\n")
        let list = try runKPIWatch(["silence", "list", "--config", project.configPath])
        #expect(list.stdout.contains("1  active  until \(until)  rule=open_past_30w team=North  (known backlog"))
        let check = try runKPIWatch(["check", "--config", project.configPath, "--as-of", "2026-10-29"])
        #expect(!check.stdout.contains("[open_past_30w] Case C1"))
        #expect(check.stderr.contains("2 silenced"), "C1 and C2 are both past 30 weeks in North")
        let expire = try runKPIWatch(["silence", "expire", "--config", project.configPath, "1"])
        #expect(expire.stdout == "silence 1 expired\n")
        #expect(try runKPIWatch(["silence", "list", "--config", project.configPath]).stdout.contains("1  expired"))
        let unknown = try runKPIWatch([
            "silence", "add", "--config", project.configPath, "--rule", "open_past_3w",
            "--until", "2026-12-31", "--comment", "x",
        ])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("did you mean 'open_past_30w'?"))
    }

    @Test func theOutboxCommandListsWhatWaitsWithoutURLs() throws {
        let project = LifecycleProject(
            sinks: "  - { type: file, path: out/alerts.jsonl, quiet: [weekends] }", sinkNames: [])
        project.setCases([("C1", "North", "2026-03-01", nil)])
        let check = try runKPIWatch(["check", "--config", project.configPath, "--as-of", "2026-10-31"])
        #expect(
            check.stderr.contains("file out/alerts.jsonl: 0 sent, 0 resolved, 0 repeat suppressed, 0 silenced, 1 held"))
        let outbox = try runKPIWatch(["outbox", "--config", project.configPath])
        #expect(
            outbox.stdout
                == "file out/alerts.jsonl:\n  firing  [open_past_30w] key=C1  attempts 0, held until 2026-11-02\n")
    }

    @Test func inhibitsNamingAnUnknownRuleIsALoadError() throws {
        let rules = LifecycleProject.rules.replacingOccurrences(
            of: "inhibits: [open_past_30w]", with: "inhibits: [open_past_3w]")
        let project = LifecycleProject(sinks: "  - type: stdout", rules: rules, sinkNames: [])
        let result = try runKPIWatch(["validate", "--config", project.configPath])
        #expect(result.status == 3)
        #expect(result.stderr.contains("'inhibits' of rule 'open_past_52w' names 'open_past_3w'"))
        #expect(result.stderr.contains("did you mean 'open_past_30w'?"))
    }

    @Test func theFileSinkWritesCSVWithAHeaderAndRotatesBySize() throws {
        let folder = TemporaryDirectory()
        let path = folder.path + "/out/alerts.csv"
        let sink = FileSink(path: path, format: .csv, maxBytes: 400, keep: 2)
        let alert = Alert(
            kind: .caseAlert, rule: "r", title: "r", severity: .warning, key: "C1", labels: ["team": "North"],
            message: "Case C1, \"late\"")
        let notification = AlertNotice(alert: alert, firstSeen: Day(iso: "2026-10-29")!)
        let context = RunContext(asOf: Day(iso: "2026-10-29")!, projectFile: "")
        for _ in 0..<6 { _ = sink.send([notification, notification], context: context) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix(CSVLine.header))
        #expect(text.contains("firing,r,warning,,C1,team=North,\"Case C1, \"\"late\"\"\",,,2026-10-29\n"))
        #expect(FileManager.default.fileExists(atPath: path + ".1"))
        #expect(FileManager.default.fileExists(atPath: path + ".2"))
        #expect(!FileManager.default.fileExists(atPath: path + ".3"))
        for file in [path, path + ".1", path + ".2"] {
            let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as! Int
            #expect(size <= 400)
        }
    }
}
