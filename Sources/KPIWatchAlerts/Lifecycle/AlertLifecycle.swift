import KPIWatchCore
import KPIWatchEngine

/// Stage 1: moves each alert identity along pending → firing → resolved from this run's alerts. The evaluator has
/// already applied `for:`, so an alert it raises fires at once. An alert that is no longer raised resolves, unless
/// its rule's `keep_firing_for` keeps it firing a little longer so that a value hovering at its threshold does not
/// fire and resolve on alternate days.
package struct AlertLifecycle {
    package var asOf: Day
    package var policies: [String: AlertPolicy]
    /// Rules this run assessed: an alert of a rule left out by `--only`, or of a dataset that could not be read,
    /// is neither seen nor resolved.
    package var assessedRules: Set<String>

    package struct Outcome {
        /// Every record this run changed, to be saved.
        package var records: [AlertRecord]
        /// Alerts firing after this run (raised now, or kept by `keep_firing_for`).
        package var firing: [AlertRecord]
        /// Alerts that resolved in this run.
        package var resolved: [AlertRecord]
        /// Identities that began firing in this run.
        package var new: Set<String>
    }

    package func advance(_ alerts: [Alert], known: [String: AlertRecord]) -> Outcome {
        var outcome = Outcome(records: [], firing: [], resolved: [], new: [])
        var raised: Set<String> = []
        for alert in alerts {
            guard raised.insert(alert.identity).inserted else { continue }
            let keep = policies[alert.rule]?.keepFiringFor.map { asOf.adding(days: $0) }
            var record: AlertRecord
            if let existing = known[alert.identity], existing.state == .firing {
                record = existing
                record.alert = alert
                record.lastSeen = max(existing.lastSeen, asOf)
            } else {
                record = AlertRecord(alert: alert, state: .firing, firstSeen: asOf, lastSeen: asOf)
                outcome.new.insert(alert.identity)
            }
            record.keepUntil = keep
            record.silencedBy = nil
            outcome.records.append(record)
            outcome.firing.append(record)
        }
        for record in known.values.sorted(by: { $0.identity < $1.identity })
        where record.state == .firing && !raised.contains(record.identity) && assessedRules.contains(record.alert.rule)
        {
            if let keep = record.keepUntil, asOf <= keep {
                outcome.firing.append(record)
                continue
            }
            var resolved = record
            resolved.state = .resolved
            resolved.resolvedOn = asOf
            resolved.keepUntil = nil
            outcome.records.append(resolved)
            outcome.resolved.append(resolved)
        }
        return outcome
    }
}
