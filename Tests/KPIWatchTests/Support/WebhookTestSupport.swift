import Foundation
import Yams

@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchHTTPClient

/// Builders shared by the webhook tests.
enum WebhookFixture {
    static let asOf = Day(year: 2024, month: 3, day: 31)!

    /// A `sinks:` entry as the project loader hands it over (with `${env:}` already expanded).
    static func config(_ yaml: String, file: String = "kpiwatch.yaml") throws -> SinkConfig {
        let node = try Yams.compose(yaml: yaml)!
        return SinkConfig(
            type: "webhook", node: ConfigNode(node: node, file: file),
            location: ConfigNode(node: node, file: file).location)
    }

    static func sink(
        _ yaml: String, clock: RecordingClock = RecordingClock(), minimumSpacing: Double? = 0
    ) throws -> WebhookSink {
        try WebhookSink(
            config: config(yaml), transport: URLSessionTransport(), clock: clock.clock, pacer: PostPacer(),
            minimumSpacing: minimumSpacing)
    }

    static func kpiAlert(team: String, severity: AlertSeverity = .critical, value: Double = 52.5) -> AlertNotice {
        AlertNotice(
            alert: Alert(
                kind: .kpi, rule: "timeliness_20w", title: "New EHC plans issued within 20 weeks", severity: severity,
                group: ["team": team], labels: ["service": "send"],
                message: "\(team): \(value)% of plans issued within 20 weeks in 2024-03", period: "2024-03",
                value: value, unit: .percent),
            firstSeen: Day(year: 2024, month: 2, day: 29)!)
    }

    static func caseAlert(key: String, team: String) -> AlertNotice {
        AlertNotice(
            alert: Alert(
                kind: .caseAlert, rule: "ep_advice_outstanding_week_12",
                title: "EP advice still outstanding at week 12",
                severity: .warning, key: key, labels: ["team": team],
                message: "Case \(key) (\(team)) is at week 13 with EP advice outstanding"),
            firstSeen: asOf)
    }

    static func resolved(team: String) -> AlertNotice {
        var notification = kpiAlert(team: team)
        notification.status = .resolved
        notification.resolvedOn = asOf
        return notification
    }

    static var context: RunContext { RunContext(asOf: asOf, projectFile: "kpiwatch.yaml") }

    /// Sends as the delivery pipeline does: one message per `group_by` batch of the sink, each tried again by the
    /// retry stage as far as the sink allows, waiting on `clock`; the outcome as one report.
    static func deliver(
        _ notifications: [AlertNotice], through sink: WebhookSink, clock: RecordingClock = RecordingClock(),
        context: RunContext = context
    ) -> DeliveryReport {
        let sender = SinkSender(sink: RetryingSink(sink, clock: clock.clock), groupBy: sink.groupBy, context: context)
        let result = sender(notifications)
        var report = DeliveryReport(delivered: Set(result.delivered.map(\.deliveryID)))
        for (notice, reason) in result.failed { report.failures[notice.deliveryID] = reason }
        return report
    }
}

/// A delivery clock that records the waits it is asked for instead of sleeping, with the
/// jitter fixed at its top so that backoff delays are exact.
final class RecordingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Double] = []
    /// The time the clock reads, when a test needs waits measured from a known moment; else the real time.
    private let frozenNow: Date?

    init(frozenAt now: Date? = nil) { frozenNow = now }

    var waits: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    var clock: DeliveryClock {
        DeliveryClock(
            now: { [frozenNow] in frozenNow ?? Date() },
            sleep: { [self] seconds in
                lock.lock()
                recorded.append(seconds)
                lock.unlock()
            },
            random: { 1 })
    }
}
