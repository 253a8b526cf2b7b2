import Foundation
import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchHTTPClient

/// The per-sink stages of the delivery pipeline: one place batches by `group_by`, and the retry stage wraps any
/// sink.
@Suite("Delivery stages", .serialized)
struct DeliveryStageTests {
    /// Issue 10: the webhook batched again by its own rules, which knew only group fields and labels, so
    /// `group_by: [severity]` posted messages whose headings and `groupLabels` had an empty value.
    @Test func groupBySeverityOnAWebhookNamesEachMessagesSeverity() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let sinks = ["generic", "slack"].map { format in
            """
              - type: webhook
                name: hook-\(format)
                format: \(format)
                url: ${env:HOOK_\(format.uppercased())}
                allow_http: true
                max_attempts: 1
                group_by: [severity]
            """
        }
        let project = LifecycleProject(sinks: sinks.joined(separator: "\n"), sinkNames: [])
        // C1 is past 30 weeks (a warning), C2 past 52 weeks (critical).
        project.setCases([("C1", "North", "2026-03-01", nil), ("C2", "South", "2025-06-01", nil)])
        let environment = [
            "HOOK_GENERIC": "http://127.0.0.1:\(server.port)/generic",
            "HOOK_SLACK": "http://127.0.0.1:\(server.port)/slack",
        ]
        let result = try runKPIWatch(
            ["check", "--config", project.configPath, "--as-of", "2026-10-29"], environment: environment)
        #expect(result.status == 2, "\(result.stderr)")

        let generic = server.requests.filter { $0.path == "/generic" }.compactMap { $0.json as? [String: Any] }
        let labelled = generic.map { ($0["groupLabels"] as? [String: String])?["severity"] ?? "?" }
        #expect(labelled.sorted() == ["critical", "warning"], "\(labelled)")
        for message in generic {
            let severity = (message["groupLabels"] as? [String: String])?["severity"]
            let alerts = message["alerts"] as? [[String: Any]] ?? []
            #expect(!alerts.isEmpty && alerts.allSatisfy { $0["severity"] as? String == severity })
        }
        let headings = server.requests.filter { $0.path == "/slack" }
            .compactMap { ($0.json as? [String: Any])?["text"] as? String }
        #expect(headings.count == 2)
        #expect(headings.contains { $0.hasPrefix("kpiwatch alerts — severity: critical") }, "\(headings)")
        #expect(headings.contains { $0.hasPrefix("kpiwatch alerts — severity: warning") }, "\(headings)")
    }

    /// A real file sink whose folder is blocked by a file on the first attempt: the retry stage waits, the
    /// obstacle is gone, and the second attempt writes the line.
    @Test func aFileSinkThatFailsOnceIsRetriedAndDelivered() throws {
        let folder = TemporaryDirectory()
        let blocked = folder.path + "/out"
        folder.write("out", "a file where the sink's folder should be")
        let waits = Waits()
        let clock = DeliveryClock(
            now: { Date() },
            sleep: { seconds in
                waits.append(seconds)
                try? FileManager.default.removeItem(atPath: blocked)
            }, random: { 1 })
        let sink = RetryingSink(FileSink(path: blocked + "/alerts.jsonl"), clock: clock)
        let notice = WebhookFixture.caseAlert(key: "C1", team: "North")

        let report = sink.send([notice], context: WebhookFixture.context)
        #expect(report.delivered == [notice.deliveryID] && report.failures.isEmpty, "\(report.failures)")
        #expect(waits.all == [1])
        let lines = try String(contentsOfFile: blocked + "/alerts.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("\"key\":\"C1\""))
    }

    /// The retry stage tries again only what the sink calls worth it, as often as the sink allows, and the last
    /// reason says how many attempts were made.
    @Test(arguments: [(retryable: true, attempts: 3), (retryable: false, attempts: 1)])
    func aFailingSinkIsTriedAsOftenAsItsFailureAllows(retryable: Bool, attempts: Int) {
        let flaky = FailingSink(retryable: retryable)
        let recorder = RecordingClock()
        let notice = WebhookFixture.caseAlert(key: "C1", team: "North")
        let report = RetryingSink(flaky, clock: recorder.clock).send([notice], context: WebhookFixture.context)
        #expect(flaky.calls == attempts)
        #expect(recorder.waits.count == attempts - 1)
        let reason = report.failures[notice.deliveryID] ?? ""
        #expect(reason.hasPrefix("disk full"))
        #expect(reason.hasSuffix("(gave up after 3 attempts)") == retryable, "\(reason)")
    }

    /// Batches follow `group_by` as routes and silences read a field (`rule` and `severity` too), in the order the
    /// combinations first appear, and each batch's values reach the sink.
    @Test func theSendStageBatchesByEveryFieldARouteCanName() {
        let sink = RecordingSink(name: "rec")
        let notices = [
            WebhookFixture.kpiAlert(team: "North"), WebhookFixture.caseAlert(key: "C1", team: "South"),
            WebhookFixture.kpiAlert(team: "South", severity: .warning),
        ]
        let sender = SinkSender(sink: sink, groupBy: ["severity", "rule"], context: WebhookFixture.context)
        let result = sender(notices)
        #expect(result.delivered.count == 3)
        #expect(
            sink.batches.map { $0.map { $0.alert.key ?? $0.alert.group["team"]! } } == [["North"], ["C1"], ["South"]])
        #expect(
            sender.groupLabels(of: notices[1]).map { "\($0.name)=\($0.value)" } == [
                "severity=warning", "rule=ep_advice_outstanding_week_12",
            ])
    }
}

/// Waits a test clock was asked for, from the retry loop's closure.
private final class Waits: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    func append(_ seconds: Double) { lock.withLock { recorded.append(seconds) } }
    var all: [Double] { lock.withLock { recorded } }
}

/// A sink that always fails, counting its attempts.
private final class FailingSink: Sink, @unchecked Sendable {
    let name = "failing"
    let retryable: Bool
    private let lock = NSLock()
    private var count = 0

    init(retryable: Bool) { self.retryable = retryable }

    var calls: Int { lock.withLock { count } }

    func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport {
        lock.withLock { count += 1 }
        return .allFailed(notifications, reason: "disk full", retryable: retryable)
    }
}
