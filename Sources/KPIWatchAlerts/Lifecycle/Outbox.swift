import KPIWatchCore
import KPIWatchEngine

/// Stage 8 (per sink): what waits in the outbox goes first, each item once per run, in the order it was decided.
/// Items held by a quiet time wait for their day. Nothing leaves the outbox unsent: a firing notice whose alert
/// resolved before it went out is still delivered, and its resolved notice after it (docs/alerts.md).
package struct Outbox {
    package var asOf: Day
    /// Set while the sink is quiet: nothing leaves the outbox, and held items wait until this day.
    package var quietUntil: Day?

    package struct Plan {
        package var due: [OutboxItem] = []
        package var waiting: [OutboxItem] = []
    }

    package func plan(_ items: [OutboxItem]) -> Plan {
        var plan = Plan()
        for var item in items {
            if let quietUntil {
                item.heldUntil = max(item.heldUntil ?? quietUntil, quietUntil)
                plan.waiting.append(item)
            } else if let held = item.heldUntil, held > asOf {
                plan.waiting.append(item)
            } else {
                plan.due.append(item)
            }
        }
        return plan
    }

    /// The outbox's pass, as the first stage of the sink's pipeline: what is due goes out through `delivery` (the
    /// send and record stages) before this run decides anything, and what waits stays; this run's own notices go on
    /// to the next stage, less those whose episode already waits here.
    package struct Stage: DeliveryStage {
        package var plan: Plan
        package var delivery: any DeliveryStage

        package func exec(_ notices: [AlertNotice], in run: inout SinkRun) throws -> [AlertNotice] {
            run.waiting += plan.waiting
            run.summary.held += plan.waiting.count
            run.queued = Dictionary(
                (plan.due + plan.waiting).map { ($0.episodeID, $0) }, uniquingKeysWith: { first, _ in first })
            let sent = try delivery.exec(plan.due.map(\.notification), in: &run)
            run.summary.fromOutbox += sent.count
            return notices.filter { [queued = run.queued] in queued[$0.episodeID] == nil }
        }
    }

    /// What failed goes back, or in for the first time, with the reason and one more attempt.
    package static func failed(
        _ notification: AlertNotice, reason: String, previous: OutboxItem?, sink: String, on day: Day
    )
        -> OutboxItem
    {
        var item = previous ?? OutboxItem(sink: sink, notification: notification, createdOn: day)
        item.notification = notification
        item.heldUntil = nil
        item.attempts += 1
        item.lastError = withoutURLs(reason)
        return item
    }

    /// A webhook URL is a secret: an error kept in the store or shown by `kpiwatch outbox` never carries one.
    package static func withoutURLs(_ text: String) -> String {
        text.replacingOccurrences(
            of: #"[A-Za-z][A-Za-z0-9+.-]*://[^\s"']+"#, with: "<url>", options: .regularExpression)
    }
}
