import KPIWatchCore
import KPIWatchEngine

/// Stage 4: which sinks take an alert. A sink with `match`/`match_re` takes what matches; a sink with neither
/// takes everything; a `default: true` sink takes only what no sink with matchers took.
package struct Routing {
    package var policies: [SinkPolicy]

    /// The indexes of the sinks that take `alert`.
    package func sinks(for alert: Alert) -> [Int] {
        var chosen: [Int] = []
        var matched = false
        for (index, policy) in policies.enumerated() where !policy.isDefault {
            guard policy.matches(alert) else { continue }
            chosen.append(index)
            if policy.hasMatchers { matched = true }
        }
        if !matched {
            chosen += policies.indices.filter { policies[$0].isDefault }
        }
        return chosen.sorted()
    }
}
