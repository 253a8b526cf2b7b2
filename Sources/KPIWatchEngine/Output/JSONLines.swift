import KPIWatchCore

/// RULES.md §5's JSON lines: one object per KPI value and per alert. Keys may be added, never renamed.
public enum JSONLines {
    public static func kpi(_ result: KPIResult) -> JSONValue {
        .object([
            ("type", .string("kpi")),
            ("id", .string(result.id)),
            ("period", .string(result.period)),
            ("current", .bool(result.current)),
            ("group", .object(result.group.map { ($0.name, JSONValue.from($0.value)) })),
            ("value", result.value.map(JSONValue.number) ?? .null),
            ("count", result.count.map(JSONValue.int) ?? .null),
            ("state", .string(result.state.rawValue)),
            ("unit", .string(result.unit.rawValue)),
            ("threshold", result.threshold.map(JSONValue.string) ?? .null),
        ])
    }

    public static func alert(_ alert: Alert) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("type", .string("alert")),
            ("rule", .string(alert.rule)),
            ("severity", .string(alert.severity.rawValue)),
            ("group", .object(alert.group)),
        ]
        if let key = alert.key { pairs.append(("key", .string(key))) }
        pairs += [
            ("labels", .object(alert.labels)),
            ("message", .string(alert.message)),
            ("title", .string(alert.title)),
        ]
        if let period = alert.period { pairs.append(("period", .string(period))) }
        if alert.kind == .kpi { pairs.append(("value", alert.value.map(JSONValue.number) ?? .null)) }
        return .object(pairs)
    }

    /// An alert as a sink records it: the alert object plus whether it fires or has resolved.
    public static func notification(_ notification: AlertNotice) -> JSONValue {
        guard case .object(var pairs) = alert(notification.alert) else { return alert(notification.alert) }
        pairs.append(("status", .string(notification.status.rawValue)))
        pairs.append(("first_seen", .string(notification.firstSeen.iso)))
        if let resolved = notification.resolvedOn { pairs.append(("resolved_on", .string(resolved.iso))) }
        return .object(pairs)
    }

    public static func render(_ evaluation: Evaluation) -> String {
        var lines = evaluation.results.map { kpi($0).serialized }
        lines += evaluation.alerts.map { alert($0).serialized }
        return lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }
}
