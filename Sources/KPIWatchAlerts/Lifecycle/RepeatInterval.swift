import KPIWatchCore
import KPIWatchEngine

/// Stage 5 (per sink): a firing alert is sent when the sink has not heard of this episode, when its severity
/// changed, or when the repeat interval (the rule's, else the sink's) has passed since the sink last heard —
/// counted in as-of days, so a daily run does not repeat yesterday's message.
package struct RepeatInterval {
    package var sinkInterval: Int
    package var policies: [String: AlertPolicy]
    package var asOf: Day

    package func isDue(_ record: AlertRecord, told: [AlertStatus: NotificationRecord]?) -> Bool {
        guard let last = told?[.firing], last.heard(episode: record.firstSeen) else { return true }
        if last.severity != record.alert.severity.rawValue { return true }
        let interval = policies[record.alert.rule]?.repeatInterval ?? sinkInterval
        return interval <= 0 || asOf >= last.lastNotifiedOn.adding(days: interval)
    }
}
