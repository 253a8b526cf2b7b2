import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// A webhook secret is often set only in the scheduled check's environment (a systemd unit, a CI secret); the
/// commands that send nothing (report, explain, forecast, test) must still run by hand without it, and `check`,
/// which sends, must still stop on it.
@Suite("Sink secrets outside check", .serialized)
struct SinkSecretsOutsideCheckTests {
    @Test func aRunThatMakesNoSinkDoesNotNeedTheSinksEnvironmentVariables() throws {
        let folder = try WebhookDigestTests.demoSendingToTeams()
        let project = folder.path + "/kpiwatch.yaml"
        let engine = Engine.standard()
        let loaded = try engine.load(configPath: project, environment: [:], includingSinks: false)
        #expect(loaded.sinks.isEmpty && loaded.config.sinks.count == 1)
        let error = try #require(throws: Diagnostics.self) {
            try engine.load(configPath: project, environment: [:])
        }
        #expect(error.items.map(\.message) == ["environment variable KPIWATCH_TEST_WEBHOOK is not set"])
    }

    @Test func reportAndExplainRunWithoutTheWebhookSecretAndCheckStopsOnIt() throws {
        let folder = try WebhookDigestTests.demoSendingToTeams()
        let project = folder.path + "/kpiwatch.yaml"
        let report = try runKPIWatch(["report", "--config", project, "--output", "r.html"], directory: folder.path)
        #expect(report.status == 0, "\(report.stderr)")
        let explain = try runKPIWatch(["explain", "open_past_52w", "--config", project])
        #expect(explain.status == 0, "\(explain.stderr)")
        let check = try runKPIWatch(["check", "--config", project])
        #expect(check.status == 3)
        #expect(
            check.stderr.contains("error: environment variable KPIWATCH_TEST_WEBHOOK is not set"), "\(check.stderr)")
    }
}
