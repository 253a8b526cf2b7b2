import Foundation

/// A notification as the state store keeps it (outbox rows, alert payloads). Built from `Alert`, whose fields
/// never hold a personal value, so nothing personal is ever written to the store.
struct StoredNotification: Codable {
    struct StoredAlert: Codable {
        var kind: String
        var rule: String
        var title: String
        var severity: String
        var group: [String: String]
        var key: String?
        var labels: [String: String]
        var message: String
        var period: String?
        var value: Double?
        var unit: String?
    }

    var alert: StoredAlert
    var status: String
    var firstSeen: String
    var resolvedOn: String?

    init(_ notification: Notification) {
        alert = Self.store(notification.alert)
        status = notification.status.rawValue
        firstSeen = notification.firstSeen.iso
        resolvedOn = notification.resolvedOn?.iso
    }

    static func store(_ alert: Alert) -> StoredAlert {
        StoredAlert(
            kind: alert.kind.rawValue, rule: alert.rule, title: alert.title, severity: alert.severity,
            group: alert.group, key: alert.key, labels: alert.labels, message: alert.message, period: alert.period,
            value: alert.value, unit: alert.unit?.rawValue)
    }

    static func restore(_ stored: StoredAlert) -> Alert {
        Alert(
            kind: Alert.Kind(rawValue: stored.kind) ?? .kpi, rule: stored.rule, title: stored.title,
            severity: stored.severity, group: stored.group, key: stored.key, labels: stored.labels,
            message: stored.message, period: stored.period, value: stored.value,
            unit: stored.unit.flatMap(Unit.init(rawValue:)))
    }

    var notification: Notification? {
        guard let status = AlertStatus(rawValue: status), let firstSeen = Day(iso: firstSeen) else { return nil }
        return Notification(
            alert: Self.restore(alert), status: status, firstSeen: firstSeen,
            resolvedOn: resolvedOn.flatMap(Day.init(iso:)))
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
