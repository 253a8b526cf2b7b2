import KPIWatchCore
import KPIWatchEngine

/// Stage 6 (per sink): a resolved notice goes only to a sink that heard this episode fire (or has its firing notice
/// waiting in the outbox, which the resolved notice then follows) and has not yet heard it resolve, and only if
/// neither the rule nor the sink turned `send_resolved` off.
package struct SendResolved {
    package var sinkSends: Bool
    package var policies: [String: AlertPolicy]
    /// Set while the sink is quiet: a resolved notice that waits behind its firing notice waits until this day too.
    package var quietUntil: Day? = nil

    package func isDue(_ notice: AlertNotice, told: [AlertStatus: NotificationRecord]?, firingQueued: Bool = false)
        -> Bool
    {
        guard policies[notice.alert.rule]?.sendResolved ?? sinkSends else { return false }
        if let resolved = told?[.resolved], resolved.heard(episode: notice.firstSeen) { return false }
        if firingQueued { return true }
        guard let fired = told?[.firing], fired.heard(episode: notice.firstSeen) else { return false }
        return true
    }
}

extension SendResolved: DeliveryStage {
    /// Passes on every firing notice and the resolved notices that are due. A resolved notice follows its firing
    /// notice: while that still waits in the outbox, so does this one.
    package func exec(_ notices: [AlertNotice], in run: inout SinkRun) -> [AlertNotice] {
        let stillWaiting = Set(run.waiting.map(\.episodeID))
        return notices.filter { notice in
            guard notice.status == .resolved else { return true }
            let firing = AlertNotice(alert: notice.alert, status: .firing, firstSeen: notice.firstSeen)
            let behindFiring = stillWaiting.contains(firing.episodeID)
            guard isDue(notice, told: run.told[notice.alert.identity], firingQueued: behindFiring) else {
                return false
            }
            guard behindFiring else { return true }
            run.waiting.append(
                OutboxItem(
                    sink: run.sink, notification: notice, heldUntil: quietUntil,
                    lastError: quietUntil == nil ? SinkSender.behindEarlierNotice : nil, createdOn: run.asOf))
            run.summary.held += 1
            return false
        }
    }
}
