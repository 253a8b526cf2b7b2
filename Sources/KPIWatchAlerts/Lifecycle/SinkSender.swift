import KPIWatchCore
import KPIWatchEngine

/// Stage 9 (per sink): hands notifications to the sink, one `send` per `group_by` batch (one message carries all
/// alerts of a team), and sorts them by what the sink's `DeliveryReport` says got through. Only those are marked
/// notified; a notification the report does not mention counts as failed, so nothing is lost. Two notices about
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

    /// In the order first seen, so that batches keep the rules' order.
    package func batches(_ notifications: [AlertNotice]) -> [[AlertNotice]] {
        guard !notifications.isEmpty else { return [] }
        guard !groupBy.isEmpty else { return [notifications] }
        var order: [[String]] = []
        var batches: [[String]: [AlertNotice]] = [:]
        for notification in notifications {
            let fields = AlertFields(notification.alert)
            let key = groupBy.map { fields.value(of: $0) ?? "" }
            if batches[key] == nil { order.append(key) }
            batches[key, default: []].append(notification)
        }
        return order.map { batches[$0]! }
    }
}
