import Crypto
import Foundation
import KPIWatchCore
import KPIWatchEngine

/// The body `format: generic` posts, modelled on Alertmanager's webhook (version 4) so that
/// receivers written for it need little change. Documented for users in `docs/webhook-generic.md`:
///
/// ```json
/// {
///   "version": "1",                      // this envelope's version
///   "receiver": "webhook",               // the sink's name
///   "status": "firing",                  // "firing" if any alert in it fires, else "resolved"
///   "groupLabels": {"team": "North"},    // the sink's group_by fields and this message's values
///   "commonLabels": {"service": "send"}, // labels (with rule, severity and group fields) all alerts share
///   "truncatedAlerts": 0,                // alerts left out of `alerts` by max_alerts
///   "asOf": "2024-03-31",                // the run's as-of date
///   "alerts": [{
///     "status": "firing", "rule": "timeliness_20w", "title": "…", "severity": "critical",
///     "labels": {"service": "send"}, "group": {"team": "North"}, "key": null,
///     "message": "…", "period": "2024-03", "value": 52.5,
///     "startsAt": "2024-02-29", "endsAt": null, "fingerprint": "3f1c0d2e9a7b6c5d"
///   }]
/// }
/// ```
/// Every key is always present; what does not apply is `null`. With `secret:`, the header
/// `X-KPIWatch-Signature: sha256=<hex>` carries the HMAC-SHA256 of the exact body bytes.
package struct GenericEnvelope: Encodable, Equatable {
    package var version = "1"
    package var receiver: String
    /// `firing` if any alert in it fires, else `resolved`.
    package var status: AlertStatus
    package var groupLabels: [String: String]
    package var commonLabels: [String: String]
    package var truncatedAlerts: Int
    package var asOf: String
    package var alerts: [GenericAlert]

    package init(batch: WebhookBatch, shown: Int) {
        let digests = batch.digests
        receiver = batch.receiver
        status = digests.contains { $0.status == .firing } ? .firing : .resolved
        groupLabels = Dictionary(batch.groupLabels.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        commonLabels = Self.commonLabels(of: digests.map(\.notification.alert))
        truncatedAlerts = digests.count - shown
        asOf = batch.asOf.iso
        alerts = digests.prefix(shown).map { GenericAlert($0.notification) }
    }

    /// The labels every alert has with the same value, counting `rule`, `severity` and group fields
    /// as labels, as Alertmanager counts `alertname`.
    package static func commonLabels(of alerts: [Alert]) -> [String: String] {
        func allLabels(_ alert: Alert) -> [String: String] {
            var labels = alert.group.merging(alert.labels) { group, _ in group }
            labels["rule"] = alert.rule
            labels["severity"] = alert.severity.rawValue
            return labels
        }
        guard let first = alerts.first else { return [:] }
        var common = allLabels(first)
        for alert in alerts.dropFirst() {
            let labels = allLabels(alert)
            common = common.filter { labels[$0.key] == $0.value }
        }
        return common
    }
}

/// One alert of the generic envelope.
package struct GenericAlert: Encodable, Equatable {
    package var status: AlertStatus
    package var rule: String
    package var title: String
    package var severity: AlertSeverity
    package var labels: [String: String]
    package var group: [String: String]
    package var key: String?
    package var message: String
    package var period: String?
    package var value: Double?
    package var startsAt: String
    package var endsAt: String?
    /// The first 16 hex digits of SHA-256 of the alert's identity: stable across runs, so a
    /// receiver can match a resolved notice to the alert it resolves.
    package var fingerprint: String

    package init(_ notification: AlertNotice) {
        let alert = notification.alert
        status = notification.status
        rule = alert.rule
        title = alert.title
        severity = alert.severity
        labels = alert.labels
        group = alert.group
        key = alert.key
        message = alert.message
        period = alert.period
        value = alert.value.flatMap { $0.isFinite ? $0 : nil }
        startsAt = notification.firstSeen.iso
        endsAt = notification.resolvedOn?.iso
        fingerprint = Self.fingerprint(of: alert.identity)
    }

    package static func fingerprint(of identity: String) -> String {
        WebhookSignature.hex(SHA256.hash(data: Data(identity.utf8)).prefix(8))
    }

    private enum CodingKeys: String, CodingKey {
        case status, rule, title, severity, labels, group, key, message, period, value, startsAt, endsAt, fingerprint
    }

    // Absent values are written as null so that every alert has the same keys.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(rule, forKey: .rule)
        try container.encode(title, forKey: .title)
        try container.encode(severity, forKey: .severity)
        try container.encode(labels, forKey: .labels)
        try container.encode(group, forKey: .group)
        try container.encode(key, forKey: .key)
        try container.encode(message, forKey: .message)
        try container.encode(period, forKey: .period)
        try container.encode(value, forKey: .value)
        try container.encode(startsAt, forKey: .startsAt)
        try container.encode(endsAt, forKey: .endsAt)
        try container.encode(fingerprint, forKey: .fingerprint)
    }
}
