import KPIWatchCore
import KPIWatchEngine

/// Stage 2: holds back alerts that a worse one already says. A critical alert holds back warnings of the same
/// measure (its `measure` label, else its rule) for the same group and case; a rule's `inhibits:` holds back the
/// named rules' alerts for the same group and case ("past 52 weeks" over "past 30 weeks").
///
/// Linear in the number of alerts: alerts are bucketed by group and case, and each bucket remembers the first
/// critical of each measure and the first inhibitor of each rule, so no alert is compared with every other.
package struct Inhibition {
    package var policies: [String: AlertPolicy]

    /// Within one group and case: the earliest alert (by position) that holds back a target, and its rule.
    private struct Bucket {
        var criticalByMeasure: [String: (position: Int, rule: String)] = [:]
        var inhibitorByRule: [String: (position: Int, rule: String)] = [:]
        var members: [Int] = []
    }

    /// Identity → why it is held back.
    package func inhibited(_ firing: [AlertRecord]) -> [String: String] {
        var buckets: [BucketKey: Bucket] = [:]
        for (position, record) in firing.enumerated() {
            let alert = record.alert
            let key = BucketKey(group: alert.group, key: alert.key)
            var bucket = buckets[key] ?? Bucket()
            bucket.members.append(position)
            if alert.severity == .critical, bucket.criticalByMeasure[measure(alert)] == nil {
                bucket.criticalByMeasure[measure(alert)] = (position, alert.rule)
            }
            // A rule never holds back its own alert (the same rule, group and case is the same alert).
            for target in policies[alert.rule]?.inhibits ?? [] where target.name != alert.rule {
                if bucket.inhibitorByRule[target.name] == nil {
                    bucket.inhibitorByRule[target.name] = (position, alert.rule)
                }
            }
            buckets[key] = bucket
        }
        var result: [String: String] = [:]
        for bucket in buckets.values {
            for position in bucket.members {
                let alert = firing[position].alert
                var sources: [(position: Int, rule: String)] = []
                if alert.severity == .warning, let critical = bucket.criticalByMeasure[measure(alert)] {
                    sources.append(critical)
                }
                if let inhibitor = bucket.inhibitorByRule[alert.rule] { sources.append(inhibitor) }
                // The first alert, in the run's order, that holds it back names the reason.
                if let first = sources.min(by: { $0.position < $1.position }) {
                    result[firing[position].identity] = "inhibited by \(first.rule)"
                }
            }
        }
        return result
    }

    private struct BucketKey: Hashable {
        var group: [String: String]
        var key: String?
    }

    private func measure(_ alert: Alert) -> String { alert.labels["measure"] ?? alert.rule }
}
