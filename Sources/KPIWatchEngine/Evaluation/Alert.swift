import KPIWatchCore

/// How bad an alert is: a breached threshold's severity, or `unknown` (a KPI with no value under
/// `no_data: unknown`).
public enum AlertSeverity: String, Sendable, Hashable, CaseIterable, Codable {
    case warning, critical, unknown

    public init(_ severity: Severity) { self = severity == .critical ? .critical : .warning }
}

/// One alert: a KPI value in breach (per group) or one record matching a case alert.
/// Carries ids, counts and labels only; personal fields never get here (rules that would put
/// one in a message are refused when they load).
public struct Alert: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case kpi
        case caseAlert = "case"
    }

    public var kind: Kind
    public var rule: String
    public var title: String
    public var severity: AlertSeverity
    /// The group's fields for a grouped KPI value; empty for the overall value and case alerts.
    public var group: [String: String]
    /// The record's key for a case alert.
    public var key: String?
    public var labels: [String: String]
    public var message: String
    public var period: String?
    public var value: Double?
    public var unit: Unit?

    public init(
        kind: Kind, rule: String, title: String, severity: AlertSeverity, group: [String: String] = [:],
        key: String? = nil,
        labels: [String: String] = [:], message: String, period: String? = nil, value: Double? = nil,
        unit: Unit? = nil
    ) {
        self.kind = kind
        self.rule = rule
        self.title = title
        self.severity = severity
        self.group = group
        self.key = key
        self.labels = labels
        self.message = message
        self.period = period
        self.value = value
        self.unit = unit
    }

    /// Identity across runs (rule, group, key): what the state store deduplicates on.
    public var identity: String {
        let groupText = group.keys.sorted().map { "\($0)=\(group[$0]!)" }.joined(separator: ",")
        return "\(rule)|\(groupText)|\(key ?? "")"
    }
}
