import KPIWatchCore
import KPIWatchEngine

/// Stage 5 (per sink): a firing alert is sent when the sink has not heard of this episode, when its severity
/// changed, or when the repeat interval (the rule's, else the sink's) has passed since the sink last heard —
/// counted in as-of days, so a daily run does not repeat yesterday's message.
package struct RepeatInterval {
    package var sinkInterval: Int
    package var policies: [String: AlertPolicy]
    package var asOf: Day

    package func isDue(_ notice: AlertNotice, told: [AlertStatus: NotificationRecord]?) -> Bool {
        guard let last = told?[.firing], last.heard(episode: notice.firstSeen) else { return true }
        if last.severity != notice.alert.severity { return true }
        let interval = policies[notice.alert.rule]?.repeatInterval ?? sinkInterval
        return interval <= 0 || asOf >= last.lastNotifiedOn.adding(days: interval)
    }
}

extension RepeatInterval: DeliveryStage {
    /// Passes on the firing notices that are due and every resolved notice; counts the firing notices it holds.
    package func exec(_ notices: [AlertNotice], in run: inout SinkRun) -> [AlertNotice] {
        notices.filter { notice in
            guard notice.status == .firing, !isDue(notice, told: run.told[notice.alert.identity]) else { return true }
            run.summary.repeatSuppressed += 1
            return false
        }
    }
}
