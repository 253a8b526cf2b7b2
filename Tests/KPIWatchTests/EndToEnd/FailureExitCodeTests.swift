import Foundation
import Testing

@testable import KPIWatchCore

/// Issue 8, defect 4: every error that is not a KPI state exits 3 (1 and 2 are a warning and a critical) with one
/// line that names what failed. Each failure path through the built executable.
@Suite struct FailureExitCodeTests {
    func project(_ sinks: String = "  - { type: file, path: out/alerts.jsonl }") -> LifecycleProject {
        let project = LifecycleProject(sinks: sinks, sinkNames: [])
        project.setCases([("C1", "North", "2026-03-01", nil)])
        return project
    }

    /// The run exits 3 and exactly one line of standard error is an error, containing `names`.
    func expectFailure(
        _ result: CommandResult, naming names: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 3, "\(result.stderr)", sourceLocation: sourceLocation)
        let errors = result.stderr.split(separator: "\n").filter { $0.lowercased().contains("error:") }
        #expect(errors.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        for name in names {
            #expect(errors.first?.contains(name) == true, "\(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func aBadAsOfDateExits3() throws {
        let project = project()
        let result = try runKPIWatch(["check", "--config", project.configPath, "--as-of", "2026-13-45"])
        expectFailure(result, naming: ["--as-of", "2026-13-45", "yyyy-MM-dd"])
        #expect(!FileManager.default.fileExists(atPath: project.folder.path + "/state"))
    }

    @Test func anUnknownOptionAndAMissingProjectFileExit3() throws {
        let project = project()
        expectFailure(
            try runKPIWatch(["check", "--config", project.configPath, "--frobnicate"]), naming: ["--frobnicate"])
        expectFailure(
            try runKPIWatch(["check", "--config", project.folder.path + "/nowhere.yaml"]), naming: ["nowhere.yaml"])
    }

    @Test func aStateFolderThatCannotBeCreatedExits3() throws {
        let project = project()
        // `state/` is a regular file, so nothing can be created under it.
        project.folder.write("state", "not a folder\n")
        let result = try runKPIWatch(["check", "--config", project.configPath, "--as-of", "2026-10-29"])
        expectFailure(result, naming: ["state"])
        #expect(!FileManager.default.fileExists(atPath: project.folder.path + "/out"), "nothing was sent")
    }

    @Test func aFileSinkThatCannotBeWrittenExits3AndKeepsTheNotification() throws {
        let project = project()
        project.folder.write("out", "a file where the sink's folder should be\n")
        let result = try runKPIWatch(["check", "--config", project.configPath, "--as-of", "2026-10-29"])
        expectFailure(result, naming: ["file out/alerts.jsonl", "outbox"])
        let outbox = try runKPIWatch(["outbox", "--config", project.configPath])
        #expect(outbox.stdout.contains("firing  [open_past_30w] key=C1  attempts 1"), "\(outbox.stdout)")
    }

    @Test func aWebhookThatAnswers500Exits3AndSaysSo() throws {
        let server = try LoopbackHTTPServer(fallback: .status(500, body: "outage"))
        defer { server.stop() }
        let project = project(LifecycleProject.loopbackWebhook)
        let result = try runKPIWatch(
            ["check", "--config", project.configPath, "--as-of", "2026-10-29"],
            environment: LifecycleProject.environment(server))
        expectFailure(result, naming: ["hook", "500", "outbox"])
        #expect(!result.stderr.contains("s3cr3tT0ken"))
    }

    @Test func theOutboxAndSilenceCommandsExit3OnAStoreTheyCannotOpen() throws {
        let project = project()
        project.folder.write("state/state.sqlite", "this is not a database, and never was one\n")
        expectFailure(try runKPIWatch(["outbox", "--config", project.configPath]), naming: ["state.sqlite"])
        expectFailure(try runKPIWatch(["silence", "list", "--config", project.configPath]), naming: ["state.sqlite"])
    }
}
