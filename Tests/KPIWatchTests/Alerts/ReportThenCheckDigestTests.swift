import Foundation
import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Through the built executable on the demo, as a council runs it: `kpiwatch report` writes the committee report and
/// records it in the state store, and the next `check`'s Teams digest points to that file.
@Suite("Webhook digest: kpiwatch report, then check", .serialized)
struct ReportThenCheckDigestTests {
    static let demoAsOf = Day(iso: "2026-10-31")!

    @Test func theReportTheCommandWroteIsWhereTheNextChecksDigestPoints() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let folder = try WebhookDigestTests.demoSendingToTeams()
        let project = folder.path + "/kpiwatch.yaml"
        let store = folder.path + "/.kpiwatch/state.sqlite"
        let environment = ["KPIWATCH_TEST_WEBHOOK": server.url.absoluteString, "NO_COLOR": "1"]

        // A report of some KPIs only is not the full report: it is written, and not recorded.
        let partial = try runKPIWatch(
            ["report", "--config", project, "--only", "ep_advice_within_6w", "--output", "partial.html"],
            environment: environment, directory: folder.path)
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(partial.stderr.contains("not recorded for chat digests: a report of --only ids is not the full report"))
        #expect(try StateStore.openReadOnly(path: store).latestReport(for: Self.demoAsOf) == nil)

        // Written to a relative path with a space in it; recorded as the absolute path, with its format and day.
        let written = try runKPIWatch(
            ["report", "--config", project, "--format", "md", "--output", "shared drive/send.md"],
            environment: environment, directory: folder.path)
        #expect(written.status == 0, "\(written.stderr)")
        let path = folder.path + "/shared drive/send.md"
        #expect(FileManager.default.fileExists(atPath: path))
        let recorded = try #require(try StateStore.openReadOnly(path: store).latestReport(for: Self.demoAsOf))
        #expect(recorded.path == path && recorded.format == "md" && recorded.asOf == Self.demoAsOf)

        let check = try runKPIWatch(
            ["check", "--config", project], environment: environment)
        #expect(check.status == 2, "\(check.stderr)")
        let body = String(decoding: try #require(server.requests.first).body, as: UTF8.self)
        #expect(body.contains("Full report (as of 2026-10-31): \(path)"), "\(body.suffix(600))")
        #expect(body.contains("more alerts not shown — see the full report"))
    }
}
