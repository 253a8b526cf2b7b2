import KPIWatchCore
import KPIWatchEngine

/// Stage 6 (per sink): a resolved notice goes only to a sink that heard this episode fire (or has its firing notice
/// waiting in the outbox, which the resolved notice then follows) and has not yet heard it resolve, and only if
/// neither the rule nor the sink turned `send_resolved` off.
package struct SendResolved {
    package var sinkSends: Bool
    package var policies: [String: AlertPolicy]

    package func isDue(_ record: AlertRecord, told: [AlertStatus: NotificationRecord]?, firingQueued: Bool = false)
        -> Bool
    {
        guard policies[record.alert.rule]?.sendResolved ?? sinkSends else { return false }
        if let resolved = told?[.resolved], resolved.heard(episode: record.firstSeen) { return false }
        if firingQueued { return true }
        guard let fired = told?[.firing], fired.heard(episode: record.firstSeen) else { return false }
        return true
    }
}
