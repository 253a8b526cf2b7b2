/// Stage 9 (per sink): hands notifications to the sink, one `send` per `group_by` batch (one message carries all
/// alerts of a team), and sorts them by what the sink's `DeliveryReport` says got through. Only those are marked
/// notified; a notification the report does not mention counts as failed, so nothing is lost.
struct Deliver {
    var sink: any Sink
    var groupBy: [String]
    var context: RunContext

    struct Result {
        var delivered: [Notification] = []
        var failed: [(Notification, String)] = []
    }

    func callAsFunction(_ notifications: [Notification]) -> Result {
        var result = Result()
        for batch in batches(notifications) {
            let report = sink.send(batch, context: context)
            for notification in batch {
                if let reason = report.failures[notification.deliveryID] {
                    result.failed.append((notification, reason))
                } else if report.delivered.contains(notification.deliveryID) {
                    result.delivered.append(notification)
                } else {
                    result.failed.append((notification, "the sink did not report this notification as delivered"))
                }
            }
        }
        return result
    }

    /// In the order first seen, so that batches keep the rules' order.
    func batches(_ notifications: [Notification]) -> [[Notification]] {
        guard !notifications.isEmpty else { return [] }
        guard !groupBy.isEmpty else { return [notifications] }
        var order: [[String]] = []
        var batches: [[String]: [Notification]] = [:]
        for notification in notifications {
            let fields = AlertFields(notification.alert)
            let key = groupBy.map { fields.value(of: $0) ?? "" }
            if batches[key] == nil { order.append(key) }
            batches[key, default: []].append(notification)
        }
        return order.map { batches[$0]! }
    }
}
