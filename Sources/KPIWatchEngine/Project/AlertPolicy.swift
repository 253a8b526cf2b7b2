import KPIWatchCore

/// A rule's say in how its alerts are notified (`repeat_interval`, `send_resolved`, `keep_firing_for`,
/// `inhibits`). Unset values fall back to the sink's policy, then to the defaults.
public struct AlertPolicy: Sendable {
    /// Days before a still-firing alert is sent again; nil: the sink's interval.
    public var repeatInterval: Int?
    /// Whether a resolved notice is sent; nil: the sink's choice (default true).
    public var sendResolved: Bool?
    /// Days an alert stays firing after it was last seen, so a value that dips in and out does not flap.
    public var keepFiringFor: Int?
    /// Rules whose alerts for the same group and case this rule's alerts hold back.
    public var inhibits: [LocatedName]

    public init(
        repeatInterval: Int? = nil, sendResolved: Bool? = nil, keepFiringFor: Int? = nil, inhibits: [LocatedName] = []
    ) {
        self.repeatInterval = repeatInterval
        self.sendResolved = sendResolved
        self.keepFiringFor = keepFiringFor
        self.inhibits = inhibits
    }

    /// The rule-file keys this policy is read from.
    package static let keys = ["repeat_interval", "send_resolved", "keep_firing_for", "inhibits"]

    package static func read(_ rule: YAMLMapping, _ diagnostics: inout DiagnosticCollector) -> AlertPolicy {
        AlertPolicy(
            repeatInterval: days(rule, "repeat_interval", allowZero: true, &diagnostics),
            sendResolved: rule.bool("send_resolved", &diagnostics),
            keepFiringFor: days(rule, "keep_firing_for", allowZero: true, &diagnostics),
            inhibits: rule.names("inhibits", &diagnostics))
    }

    /// A duration in whole days ("7d", "2w", "36h" rounds up to 2 days): runs are daily.
    package static func days(
        _ mapping: YAMLMapping, _ key: String, allowZero: Bool, _ diagnostics: inout DiagnosticCollector
    ) -> Int? {
        guard let text = mapping.string(key, &diagnostics) else { return nil }
        if let days = DurationDays.parse(text, allowZero: allowZero) { return days }
        diagnostics.add(
            Diagnostic(
                "'\(key)' must be a duration such as 7d, 2w or 0; got '\(text)'", at: mapping.valueLocation(key),
                hint: "runs are daily, so a duration counts whole days (36h is 2 days)"))
        return nil
    }
}

/// Durations for daily runs: `DurationParser`'s text, in whole days, rounded up; "0" is allowed where it means
/// "every run".
package enum DurationDays {
    package static func parse(_ text: String, allowZero: Bool) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if allowZero, ["0", "0d", "0s"].contains(trimmed) { return 0 }
        guard let seconds = DurationParser.seconds(trimmed) else { return nil }
        return Int((seconds / 86_400).rounded(.up))
    }
}
