import KPIWatchCore
import KPIWatchEngine

/// What every format says about one notification, as typed values; the formats differ only in
/// how they lay it out. Personal fields never reach an `Alert`, so nothing here needs filtering.
package struct AlertDigest: Sendable, Equatable {
    package struct Fact: Sendable, Equatable {
        package var name: String
        package var value: String
    }

    package var notification: AlertNotice
    /// `CRITICAL`, `WARNING`, `UNKNOWN`, or `RESOLVED`.
    package var badge: String
    package var title: String
    package var message: String
    package var facts: [Fact]

    package var status: AlertStatus { notification.status }
    package var severity: AlertSeverity { notification.alert.severity }

    package init(_ notification: AlertNotice) {
        let alert = notification.alert
        self.notification = notification
        self.badge = notification.status == .resolved ? "RESOLVED" : alert.severity.rawValue.uppercased()
        self.title = alert.title.isEmpty ? alert.rule : alert.title
        self.message = alert.message
        var facts: [Fact] = []
        if notification.status == .resolved {
            facts.append(Fact(name: "Resolved", value: notification.resolvedOn?.iso ?? "yes"))
            facts.append(Fact(name: "Was", value: alert.severity.rawValue))
        } else {
            facts.append(Fact(name: "Severity", value: alert.severity.rawValue))
        }
        facts.append(Fact(name: "Rule", value: alert.rule))
        for name in alert.group.keys.sorted() { facts.append(Fact(name: name, value: alert.group[name]!)) }
        if let key = alert.key { facts.append(Fact(name: "Key", value: key)) }
        if let period = alert.period { facts.append(Fact(name: "Period", value: period)) }
        if let value = alert.value {
            facts.append(Fact(name: "Value", value: ValueText.format(value, unit: alert.unit)))
        }
        for name in alert.labels.keys.sorted() where alert.group[name] == nil {
            facts.append(Fact(name: name, value: alert.labels[name]!))
        }
        facts.append(Fact(name: "Since", value: notification.firstSeen.iso))
        self.facts = facts
    }

    /// Firing before resolved, then the most severe first; the engine's order otherwise.
    package var rank: Int {
        if notification.status == .resolved { return 3 }
        switch notification.alert.severity {
        case .critical: return 0
        case .warning: return 1
        case .unknown: return 2
        }
    }
}

/// One message's worth of notifications (all of them, or those of one `group_by` combination)
/// and the words around them.
package struct WebhookBatch: Sendable {
    /// The sink's name: the generic envelope's `receiver`.
    package var receiver: String
    package var heading: String
    /// `2 critical, 1 warning, 1 resolved · as of 2024-03-31`.
    package var summary: String
    /// The `group_by` fields and this message's values of them, in the order configured.
    package var groupLabels: [(name: String, value: String)]
    package var asOf: Day
    package var digests: [AlertDigest]

    package var notifications: [AlertNotice] { digests.map(\.notification) }

    /// The one-line text that notifications, previews and screen readers show.
    package var fallbackText: String { "\(heading): \(summary)" }

    package init(
        receiver: String, title: String?, groupLabels: [(name: String, value: String)], asOf: Day,
        digests: [AlertDigest]
    ) {
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.asOf = asOf
        self.digests = digests
        var heading = title ?? "kpiwatch alerts"
        let labelled = groupLabels.filter { !$0.value.isEmpty }
        if !labelled.isEmpty {
            heading += " — " + labelled.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
        }
        self.heading = heading
        var counts: [String] = []
        for badge in ["CRITICAL", "WARNING", "UNKNOWN", "RESOLVED"] {
            let count = digests.filter { $0.badge == badge }.count
            if count > 0 { counts.append("\(count) \(badge.lowercased())") }
        }
        let others =
            digests.count - digests.filter { ["CRITICAL", "WARNING", "UNKNOWN", "RESOLVED"].contains($0.badge) }.count
        if others > 0 { counts.append("\(others) other") }
        self.summary = counts.joined(separator: ", ") + " · as of \(asOf.iso)"
    }
}
