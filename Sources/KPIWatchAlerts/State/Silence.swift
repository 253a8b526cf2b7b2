import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `kpiwatch silence add`: alerts it matches are recorded but not sent until `until` (inclusive).
public struct Silence: Sendable, Hashable {
    public var id: Int64?
    public var rule: String?
    /// `name=value` pairs, each matched against the alert's labels, group fields, `severity` and `key`.
    public var matchers: [String: String]
    public var until: Day
    public var comment: String
    public var createdOn: Day
    public var expired: Bool

    public init(
        id: Int64? = nil, rule: String?, matchers: [String: String], until: Day, comment: String, createdOn: Day,
        expired: Bool = false
    ) {
        self.id = id
        self.rule = rule
        self.matchers = matchers
        self.until = until
        self.comment = comment
        self.createdOn = createdOn
        self.expired = expired
    }

    public func isActive(on day: Day) -> Bool { !expired && day <= until }

    public func matches(_ alert: Alert) -> Bool {
        if let rule, rule != alert.rule { return false }
        let fields = AlertFields(alert)
        return matchers.allSatisfy { fields.value(of: $0.key) == $0.value }
    }

    /// How `silence list` and the delivery summary name it.
    public var label: String { "silence \(id.map(String.init) ?? "?")" }
}
