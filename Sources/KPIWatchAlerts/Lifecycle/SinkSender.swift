import KPIWatchCore
import KPIWatchEngine

/// Stage 9 (per sink), the send: hands notifications to the sink (wrapped in `RetryingSink`), one `send` per
/// `group_by` batch (one message carries all alerts of a team), and sorts them by what the sink's `DeliveryReport`
/// says got through. This is the one place notices are batched: every sink gets its batch's group labels in the
/// `RunContext` rather than grouping again. Only what got through is passed on to be marked notified; a
/// notification the report does not mention counts as failed, so nothing is lost. Two notices about
/// the same alert (a firing notice from the outbox and its resolved notice) never share a message: the later goes
/// in a later round, and only once the earlier got through, so the channel hears them in order.
package struct SinkSender {
    package static let behindEarlierNotice = "waits for an earlier notice about the same alert"

    package var sink: any Sink
    package var groupBy: [String]
    package var context: RunContext

    package struct Result {
        package var delivered: [AlertNotice] = []
        package var failed: [(AlertNotice, String)] = []
    }

    package func callAsFunction(_ notifications: [AlertNotice]) -> Result {
        var result = Result()
        var pending = notifications
        var undelivered: Set<String> = []
        while !pending.isEmpty {
            var round: [AlertNotice] = []
            var later: [AlertNotice] = []
            var inRound: Set<String> = []
            for notification in pending {
                let identity = notification.alert.identity
                if undelivered.contains(identity) {
                    result.failed.append((notification, Self.behindEarlierNotice))
                } else if inRound.insert(identity).inserted {
                    round.append(notification)
                } else {
                    later.append(notification)
                }
            }
            for batch in batches(round) {
                var context = context
                context.groupLabels = groupLabels(of: batch[0])
                let report = sink.send(batch, context: context)
                for notification in batch {
                    if let reason = report.failures[notification.deliveryID] {
                        result.failed.append((notification, reason))
                        undelivered.insert(notification.alert.identity)
                    } else if report.delivered.contains(notification.deliveryID) {
                        result.delivered.append(notification)
                    } else {
                        result.failed.append((notification, "the sink did not report this notification as delivered"))
                        undelivered.insert(notification.alert.identity)
                    }
                }
            }
            pending = later
        }
        return result
    }

    /// One batch per distinct combination of the `group_by` values, in the order first seen, so that batches keep
    /// the rules' order. A value is read as routes and silences read it (`rule`, `severity`, `key`, labels, group
    /// fields); a missing one counts as empty.
    package func batches(_ notifications: [AlertNotice]) -> [[AlertNotice]] {
        guard !notifications.isEmpty else { return [] }
        guard !groupBy.isEmpty else { return [notifications] }
        var order: [[String]] = []
        var batches: [[String]: [AlertNotice]] = [:]
        for notification in notifications {
            let key = groupLabels(of: notification).map(\.value)
            if batches[key] == nil { order.append(key) }
            batches[key, default: []].append(notification)
        }
        return order.map { batches[$0]! }
    }

    package func groupLabels(of notification: AlertNotice) -> [(name: String, value: String)] {
        let fields = AlertFields(notification.alert)
        return groupBy.map { ($0, fields.value(of: $0) ?? "") }
    }
}

extension SinkSender: DeliveryStage {
    /// Passes on what got through; what did not goes (back) in the outbox with its reason, keeping the attempts it
    /// had there.
    package func exec(_ notices: [AlertNotice], in run: inout SinkRun) -> [AlertNotice] {
        let result = self(notices)
        for (notice, reason) in result.failed {
            run.waiting.append(
                Outbox.failed(
                    notice, reason: reason, previous: run.queued[notice.episodeID], sink: run.sink, on: run.asOf))
            run.summary.noteFailure(reason)
        }
        return result.delivered
    }
}
