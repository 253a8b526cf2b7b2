import KPIWatchCore

/// The states a KPI value can be in (RULES.md §1).
public enum KPIState: String, Sendable, CaseIterable {
    case ok, warning, critical
    case noData = "no_data"
    case suppressed, stale, error

    package init(_ severity: Severity) { self = severity == .critical ? .critical : .warning }

    package var severity: Severity? {
        switch self {
        case .warning: return .warning
        case .critical: return .critical
        default: return nil
        }
    }
}

/// One field of a group, in `group_by` order.
public struct GroupField: Sendable, Hashable {
    public var name: String
    public var value: Value

    public init(name: String, value: Value) {
        self.name = name
        self.value = value
    }

    /// How a group value reads in a message or a table; null is its own group.
    public var text: String { value.isNull ? "(blank)" : value.description }
}

/// One KPI value: one period of one group (or the overall value), with its state.
public struct KPIResult: Sendable {
    public var id: String
    public var title: String
    public var unit: Unit
    public var period: String
    public var current: Bool
    /// Empty for the overall value.
    public var group: [GroupField]
    public var value: Double?
    public var previous: Double?
    /// Records behind the value (the denominator of `percent`); nil for KPIs built on KPIs.
    public var count: Int?
    public var state: KPIState
    /// The condition that set the state, as written.
    public var threshold: String?
    /// The dates the period covers (a snapshot's both its own date), for exports that chart or filter by date.
    public var periodStart: Day? = nil
    public var periodEnd: Day? = nil

    public var groupDictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: group.map { ($0.name, $0.text) })
    }
}
