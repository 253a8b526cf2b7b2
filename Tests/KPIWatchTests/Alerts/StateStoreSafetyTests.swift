import Foundation
import GRDB
import Testing

@testable import KPIWatch
@testable import KPIWatchAlerts

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 8, defect 8's state-store items, through the built executable: `validate` checks `state:`; a FIFO never
/// blocks; another program's SQLite database is refused and never written into; a damaged store is a clear error
/// with a documented recovery, never a silent reset; a history read error is not "no earlier runs". Every error
/// points at the `state:` line.
@Suite struct StateStoreSafetyTests {
    func project(state: String = "state/state.sqlite", rules: String = LifecycleProject.rules) -> LifecycleProject {
        let project = LifecycleProject(sinks: "  - { type: file, path: out/alerts.jsonl }", rules: rules, sinkNames: [])
        if state != "state/state.sqlite" {
            let text = try! String(contentsOfFile: project.configPath, encoding: .utf8)
            try! text.replacingOccurrences(of: "state: state/state.sqlite", with: "state: \(state)")
                .write(toFile: project.configPath, atomically: true, encoding: .utf8)
        }
        project.setCases([("C1", "North", "2026-03-01", nil)])
        return project
    }

    /// `state:` is on line 4 of a `LifecycleProject`, its value at column 8.
    func stateLine(_ project: LifecycleProject) -> String { "\(project.configPath):4:8: error: " }

    func check(_ project: LifecycleProject, _ day: String = "2026-10-29") throws -> CommandResult {
        try runWithDeadline(["check", "--config", project.configPath, "--as-of", day])
    }

    /// The executable, killed if it has not finished in `seconds` (a FIFO must not block a run forever).
    func runWithDeadline(_ arguments: [String], seconds: Double = 60) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: deadline)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        deadline.cancel()
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test func aStatePathUnderAFileOrProcIsRefusedByValidateAtItsLine() throws {
        for state in ["cases.csv/state.sqlite", "/proc/self/kpiwatch.sqlite", "."] {
            let project = project(state: state)
            let validate = try runWithDeadline(["validate", "--config", project.configPath])
            #expect(validate.status == 3, "\(state)")
            #expect(validate.stderr.contains(stateLine(project) + "'state: "), "\(state): \(validate.stderr)")
            let check = try check(project)
            #expect(check.status == 3)
            #expect(check.stderr.contains(stateLine(project)), "\(state): \(check.stderr)")
            #expect(!FileManager.default.fileExists(atPath: project.folder.path + "/out"))
        }
    }

    @Test func aFIFOAsStateIsRefusedWithoutBlocking() throws {
        let project = project(state: "state.fifo")
        #expect(mkfifo(project.folder.path + "/state.fifo", 0o644) == 0)
        for arguments in [
            ["validate", "--config", project.configPath],
            ["check", "--config", project.configPath, "--as-of", "2026-10-29"],
            ["check", "--config", project.configPath, "--as-of", "2026-10-29", "--dry-run"],
            ["outbox", "--config", project.configPath],
        ] {
            let result = try runWithDeadline(arguments)
            #expect(result.status == 3, "\(arguments[0]) ends, and fails: \(result.stderr)")
            #expect(result.stderr.contains(stateLine(project) + "'state: "))
            #expect(result.stderr.contains("state.fifo' is not a regular file"))
        }
    }

    @Test func anotherProgramsDatabaseIsRefusedAndNeverWrittenInto() throws {
        let project = project()
        try FileManager.default.createDirectory(
            atPath: project.folder.path + "/state", withIntermediateDirectories: true)
        try SQLTestSupport.makeSQLite(
            at: project.statePath,
            sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ada');")
        let before = try Data(contentsOf: URL(fileURLWithPath: project.statePath))
        let validate = try runWithDeadline(["validate", "--config", project.configPath])
        #expect(validate.status == 3)
        #expect(validate.stderr.contains(stateLine(project)))
        #expect(
            validate.stderr.contains("is an SQLite database that is not kpiwatch's state store (its tables: customers)")
        )
        for arguments in [
            ["check", "--config", project.configPath, "--as-of", "2026-10-29"],
            [
                "silence", "add", "--config", project.configPath, "--rule", "open_past_30w", "--until", "2026-12-01",
                "--comment", "x",
            ],
        ] {
            let result = try runWithDeadline(arguments)
            #expect(result.status == 3)
            #expect(result.stderr.contains("not kpiwatch's state store"), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: project.statePath)) == before, "not a byte was written")
        #expect(!FileManager.default.fileExists(atPath: project.folder.path + "/out"))
    }

    @Test func aDamagedStoreIsAClearErrorWithARecoveryNeverASilentReset() throws {
        for damage in ["header", "pages"] {
            let project = project()
            #expect(try check(project).status == 1)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: project.statePath))
            let range = damage == "header" ? 0..<100 : 4096..<min(bytes.count, 4096 * 3)
            for index in range { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
            try bytes.write(to: URL(fileURLWithPath: project.statePath))
            let validate = try runWithDeadline(["validate", "--config", project.configPath])
            #expect(validate.status == 3, "\(damage)")
            #expect(validate.stderr.contains(stateLine(project) + "the state store "), "\(damage): \(validate.stderr)")
            #expect(validate.stderr.contains("is damaged"))
            #expect(validate.stderr.contains("Recovering the state store"))
            let result = try check(project, "2026-10-30")
            #expect(result.status == 3, "\(damage): \(result.stderr)")
            #expect(result.stderr.contains("is damaged"), "\(damage): \(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: project.statePath)) == bytes, "never reset")
            // The documented recovery: move it aside; the next run starts afresh.
            try FileManager.default.moveItem(atPath: project.statePath, toPath: project.statePath + ".damaged")
            #expect(try check(project, "2026-10-30").status == 1)
        }
    }

    @Test func aHistoryReadErrorStopsTheRunInsteadOfCountingNoEarlierRuns() throws {
        let rules = LifecycleProject.rules.replacingOccurrences(
            of: "    thresholds: { critical: value > 3, warning: value > 1 }\n",
            with: "    thresholds: { critical: value > 3, warning: value > 1 }\n    for: 2\n")
        let project = project(rules: rules)
        project.setCases([("C1", "North", "2026-10-01", nil), ("C2", "North", "2026-10-01", nil)])
        #expect(try check(project).status == 0, "one run in breach is not yet two")
        let queue = try DatabaseQueue(path: project.statePath)
        try queue.write { try $0.execute(sql: "ALTER TABLE kpi_history RENAME TO kpi_history_gone") }
        let result = try check(project, "2026-10-30")
        #expect(result.status == 3)
        #expect(result.stderr.contains(stateLine(project) + "state store "), "\(result.stderr)")
        #expect(result.stderr.contains("kpi_history"))
        #expect(!FileManager.default.fileExists(atPath: project.folder.path + "/out"), "nothing was sent")
    }

    @Test func aStoreWrittenBeforeTheStampIsRecognisedAndStamped() throws {
        let folder = TemporaryDirectory()
        let path = folder.path + "/state.sqlite"
        _ = try StateStore.open(path: path)
        try DatabaseQueue(path: path).writeWithoutTransaction { try $0.execute(sql: "PRAGMA application_id = 0") }
        _ = try StateStore.open(path: path)
        let stamped = try DatabaseQueue(path: path).read { try Int32.fetchOne($0, sql: "PRAGMA application_id") }
        #expect(stamped == StateIdentity.applicationID)
    }
}
