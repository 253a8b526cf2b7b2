import Foundation
import KPIWatchCore
import KPIWatchEngine

/// A notification as the state store keeps it (outbox rows, alert payloads). Built from `Alert`, whose fields
/// never hold a personal value, so nothing personal is ever written to the store.
package struct StoredNotification: Codable {
    package struct StoredAlert: Codable {
        package var kind: String
        package var rule: String
        package var title: String
        package var severity: AlertSeverity
        package var group: [String: String]
        package var key: String?
        package var labels: [String: String]
        package var message: String
        package var period: String?
        package var value: Double?
        package var unit: String?
    }

    package var alert: StoredAlert
    package var status: AlertStatus
    package var firstSeen: String
    package var resolvedOn: String?

    package init(_ notification: AlertNotice) {
        alert = Self.store(notification.alert)
        status = notification.status
        firstSeen = notification.firstSeen.iso
        resolvedOn = notification.resolvedOn?.iso
    }

    package static func store(_ alert: Alert) -> StoredAlert {
        StoredAlert(
            kind: alert.kind.rawValue, rule: alert.rule, title: alert.title, severity: alert.severity,
            group: alert.group, key: alert.key, labels: alert.labels, message: alert.message, period: alert.period,
            value: alert.value, unit: alert.unit?.rawValue)
    }

    package static func restore(_ stored: StoredAlert) -> Alert {
        Alert(
            kind: Alert.Kind(rawValue: stored.kind) ?? .kpi, rule: stored.rule, title: stored.title,
            severity: stored.severity, group: stored.group, key: stored.key,
            labels: stored.labels,
            message: stored.message, period: stored.period, value: stored.value,
            unit: stored.unit.flatMap(Unit.init(rawValue:)))
    }

    package var notification: AlertNotice? {
        guard let firstSeen = Day(iso: firstSeen) else { return nil }
        return AlertNotice(
            alert: Self.restore(alert), status: status, firstSeen: firstSeen,
            resolvedOn: resolvedOn.flatMap(Day.init(iso:)))
    }

    package static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    package static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
