import KPIWatchCore

/// The names an alert can be matched on by silences and sink routes: `rule`, `severity`, `key`, its group
/// fields and its labels (a label wins over a group field of the same name, as it is what the rule author wrote).
package struct AlertFields {
    package let alert: Alert

    package init(_ alert: Alert) { self.alert = alert }

    package func value(of name: String) -> String? {
        switch name {
        case "rule": return alert.rule
        case "severity": return alert.severity.rawValue
        case "key": return alert.key
        default: return alert.labels[name] ?? alert.group[name]
        }
    }
}
