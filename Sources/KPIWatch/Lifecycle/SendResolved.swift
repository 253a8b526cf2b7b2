/// Stage 6 (per sink): a resolved notice goes only to a sink that heard this episode fire and has not yet heard it
/// resolve, and only if neither the rule nor the sink turned `send_resolved` off.
struct SendResolved {
    var sinkSends: Bool
    var policies: [String: AlertPolicy]

    func isDue(_ record: AlertRecord, told: [AlertStatus: NotificationRecord]?) -> Bool {
        guard policies[record.alert.rule]?.sendResolved ?? sinkSends else { return false }
        guard let fired = told?[.firing], fired.lastNotifiedOn >= record.firstSeen else { return false }
        if let resolved = told?[.resolved], resolved.lastNotifiedOn >= record.firstSeen { return false }
        return true
    }
}
