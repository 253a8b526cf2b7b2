import Foundation
import Testing

/// Issue 8, defect 2: a notification that failed is not lost when its alert resolves before the next run. The
/// firing notice goes out, then the resolved notice, each exactly once and in their own messages, in that order.
@Suite struct UndeliveredResolutionTests {
    /// Each request's alerts as "status key" (one alert per request in these projects).
    func posted(_ server: LoopbackHTTPServer) -> [[String]] {
        server.requests.map { request in
            let alerts = (request.json as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
            return alerts.map { "\($0["status"] as? String ?? "?") \($0["key"] as? String ?? "?")" }
        }
    }

    func check(_ project: LifecycleProject, _ day: String, _ server: LoopbackHTTPServer) throws -> CommandResult {
        server.clearRequests()
        return try runKPIWatch(
            ["check", "--config", project.configPath, "--as-of", day],
            environment: LifecycleProject.environment(server))
    }

    @Test func aFailedFiringNoticeGoesOutBeforeTheResolvedNoticeWhenTheCaseClosesOvernight() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let project = LifecycleProject(sinks: LifecycleProject.loopbackWebhook, sinkNames: [])
        project.setCases([("C1", "North", "2026-03-01", nil)])
        server.answerEveryRequest(with: .status(500, body: "outage"))
        let failed = try check(project, "2026-10-29", server)
        #expect(posted(server) == [["firing C1"]], "\(failed.stderr)")

        project.setCases([])
        server.answerEveryRequest(with: .status(200, body: "ok"))
        let next = try check(project, "2026-10-30", server)
        #expect(posted(server) == [["firing C1"], ["resolved C1"]], "\(next.stderr)")
        #expect(try project.store().outbox().isEmpty)

        _ = try check(project, "2026-10-31", server)
        #expect(posted(server).isEmpty, "each notice exactly once")
    }

    @Test func bothNoticesWaitInTheOutboxInOrderWhileTheOutageLasts() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let project = LifecycleProject(sinks: LifecycleProject.loopbackWebhook, sinkNames: [])
        project.setCases([("C1", "North", "2026-03-01", nil)])
        server.answerEveryRequest(with: .status(500, body: "outage"))
        _ = try check(project, "2026-10-29", server)
        project.setCases([])
        _ = try check(project, "2026-10-30", server)
        #expect(posted(server) == [["firing C1"]], "the resolved notice is not sent before the firing notice")
        let outbox = try runKPIWatch(
            ["outbox", "--config", project.configPath], environment: LifecycleProject.environment(server))
        let lines = outbox.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(outbox.stdout)")
        #expect(lines.dropFirst().first?.hasPrefix("  firing  [open_past_30w] key=C1  attempts 2") == true)
        #expect(lines.dropFirst(2).first?.hasPrefix("  resolved  [open_past_30w] key=C1") == true)

        server.answerEveryRequest(with: .status(200, body: "ok"))
        _ = try check(project, "2026-10-31", server)
        #expect(posted(server) == [["firing C1"], ["resolved C1"]])
        _ = try check(project, "2026-11-01", server)
        #expect(posted(server).isEmpty)
        let empty = try runKPIWatch(
            ["outbox", "--config", project.configPath], environment: LifecycleProject.environment(server))
        #expect(empty.stdout == "The outbox is empty.\n")
    }

    /// The case closes and opens again while the channel is down: the channel hears the first episode fire and
    /// resolve, then the second fire, in that order.
    @Test func aSecondEpisodeIsNotSwallowedByTheFirstsOutbox() throws {
        let project = LifecycleProject(sinks: AlertLifecycleTests.sink)
        project.setCases([("C1", "North", "2026-03-01", nil)])
        project.sink().failing = true
        try project.run("2026-10-29")
        project.setCases([])
        try project.run("2026-10-30")
        project.setCases([("C1", "North", "2026-03-01", nil)])
        project.sink().failing = false
        try project.run("2026-10-31")
        let sent = project.sink().batches.map { $0.map { "\($0.status.rawValue) \($0.firstSeen.iso)" } }
        #expect(sent.flatMap { $0 } == ["firing 2026-10-29", "resolved 2026-10-29", "firing 2026-10-31"])
        #expect(sent.allSatisfy { $0.count <= 1 }, "a firing and a resolved notice never share a message")
        try project.run("2026-11-01")
        #expect(project.sink().received.isEmpty)
    }
}
