import Foundation
import KPIWatchCore
import Yams

/// How the delivery pipeline treats one sink: which alerts it takes, when it is quiet, how often it repeats,
/// whether it hears of resolutions, and how alerts are batched. Read from the sink's own mapping in the project
/// file; the sink's factory reads the rest of its keys.
public struct SinkPolicy: Sendable {
    /// What the state store records deliveries against: `name:`, or the sink's type and path or format.
    public var name: String
    /// `match:` field → accepted values (exact).
    public var match: [String: [String]]
    /// `match_re:` field → anchored pattern.
    public var matchRegex: [String: AnchoredPattern]
    /// `default: true`: only alerts that no sink with `match`/`match_re` took.
    public var isDefault: Bool
    public var quiet: QuietSchedule
    /// Days before a still-firing alert is sent again (default: the sink type's, 7 for most; 0 for stdout: the terminal shows every run).
    public var repeatInterval: Int
    public var sendResolved: Bool
    /// Fields whose values split the notifications into one message per batch.
    public var groupBy: [String]

    public static let keys = [
        "name", "match", "match_re", "default", "quiet", "bank_holidays", "repeat_interval", "send_resolved",
        "group_by",
    ]
    /// The keys of a `sinks:` entry that are not the sink's own: its `type` and its policy.
    public static var sharedKeys: [String] { ["type"] + keys }
    public static let defaultRepeatInterval = 7

    public init(
        name: String, match: [String: [String]] = [:], matchRegex: [String: AnchoredPattern] = [:],
        isDefault: Bool = false, quiet: QuietSchedule = QuietSchedule(), repeatInterval: Int = defaultRepeatInterval,
        sendResolved: Bool = true, groupBy: [String] = []
    ) {
        self.name = name
        self.match = match
        self.matchRegex = matchRegex
        self.isDefault = isDefault
        self.quiet = quiet
        self.repeatInterval = repeatInterval
        self.sendResolved = sendResolved
        self.groupBy = groupBy
    }

    /// Whether the sink names the alerts it takes (and so keeps them from a `default: true` sink).
    public var hasMatchers: Bool { !match.isEmpty || !matchRegex.isEmpty }

    public func matches(_ alert: Alert) -> Bool {
        let fields = AlertFields(alert)
        for (name, values) in match {
            guard let value = fields.value(of: name), values.contains(value) else { return false }
        }
        for (name, pattern) in matchRegex {
            guard let value = fields.value(of: name), pattern.matches(value) else { return false }
        }
        return true
    }

    /// Reads the policies of all sinks, naming them uniquely, each with its type's default repeat interval from
    /// `registry`. Throws `Diagnostics` with every mistake.
    public static func read(_ project: ProjectConfig, registry: SinkRegistry) throws -> [SinkPolicy] {
        var diagnostics = DiagnosticCollector()
        var policies: [SinkPolicy] = []
        var used: [String: Int] = [:]
        for sink in project.sinks {
            let repeatInterval = registry.descriptor(for: sink.type)?.defaultRepeatInterval ?? defaultRepeatInterval
            var policy = read(sink, project: project, defaultRepeatInterval: repeatInterval, &diagnostics)
            used[policy.name, default: 0] += 1
            if let count = used[policy.name], count > 1 { policy.name += " #\(count)" }
            policies.append(policy)
        }
        try diagnostics.throwIfAny()
        return policies
    }

    package static func read(
        _ sink: SinkConfig, project: ProjectConfig, defaultRepeatInterval typeDefault: Int,
        _ diagnostics: inout DiagnosticCollector
    ) -> SinkPolicy {
        let fallbackName = [sink.type, sink.option("path") ?? sink.option("format")].compactMap { $0 }.joined(
            separator: " ")
        guard let document = try? YAMLDocument(text: "", file: sink.node.file),
            let mapping = YAMLMapping(sink.node.node, in: document, subject: "sink '\(sink.type)'", &diagnostics)
        else { return SinkPolicy(name: fallbackName, repeatInterval: typeDefault) }
        var policy = SinkPolicy(name: mapping.string("name", &diagnostics) ?? fallbackName)
        policy.match = exactMatchers(mapping, &diagnostics)
        policy.matchRegex = regexMatchers(mapping, &diagnostics)
        policy.isDefault = mapping.bool("default", &diagnostics) ?? false
        policy.repeatInterval =
            AlertPolicy.days(mapping, "repeat_interval", allowZero: true, &diagnostics) ?? typeDefault
        policy.sendResolved = mapping.bool("send_resolved", &diagnostics) ?? true
        policy.groupBy = mapping.names("group_by", &diagnostics).map(\.name)
        policy.quiet = quiet(mapping, project: project, &diagnostics)
        if policy.isDefault, policy.hasMatchers {
            diagnostics.add(
                Diagnostic(
                    "a sink with 'default: true' takes the alerts no other sink matched, so it cannot have "
                        + "'match' or 'match_re'", at: mapping.keyLocation("default") ?? mapping.location,
                    hint: "remove 'default', or the matchers"))
        }
        return policy
    }

    private static func exactMatchers(_ mapping: YAMLMapping, _ diagnostics: inout DiagnosticCollector)
        -> [String: [String]]
    {
        guard let match = mapping.mapping("match", subject: "'match' of a sink", &diagnostics) else { return [:] }
        var result: [String: [String]] = [:]
        for entry in match.entries {
            result[entry.key] = match.scalarList(entry.value, key: entry.key, &diagnostics).map(\.string)
        }
        return result
    }

    private static func regexMatchers(_ mapping: YAMLMapping, _ diagnostics: inout DiagnosticCollector)
        -> [String: AnchoredPattern]
    {
        guard let match = mapping.mapping("match_re", subject: "'match_re' of a sink", &diagnostics) else {
            return [:]
        }
        var result: [String: AnchoredPattern] = [:]
        for entry in match.entries {
            guard let text = match.string(entry.key, &diagnostics) else { continue }
            if let pattern = AnchoredPattern(text) {
                result[entry.key] = pattern
            } else {
                diagnostics.add(
                    Diagnostic(
                        "'\(text)' is not a valid regular expression", at: match.valueLocation(entry.key),
                        hint: "patterns match the whole value, e.g. \"^open_past_\" or \"N.*\""))
            }
        }
        return result
    }

    private static func quiet(_ mapping: YAMLMapping, project: ProjectConfig, _ diagnostics: inout DiagnosticCollector)
        -> QuietSchedule
    {
        var schedule = QuietSchedule()
        guard let node = mapping.value("quiet") else { return schedule }
        for item in mapping.scalarList(node, key: "quiet", &diagnostics) {
            let location = mapping.document.location(of: .scalar(item))
            switch item.string {
            case "weekends": schedule.weekends = true
            case "bank_holidays":
                let written = mapping.string("bank_holidays", &diagnostics)
                guard let path = written.map(project.resolve) ?? BankHolidays.defaultPath(for: project) else {
                    diagnostics.add(
                        Diagnostic(
                            "'quiet: bank_holidays' needs a bank holiday file, and no \(BankHolidays.fileName) was "
                                + "found beside the project or its rules", at: location,
                            hint: "add 'bank_holidays: PATH' to the sink, e.g. rules/uk_bank_holidays.yaml"))
                    continue
                }
                schedule.bankHolidays = diagnostics.capture { try BankHolidays.load(path: path) }
            default:
                if let window = QuietSchedule.window(item.string) {
                    schedule.hours.append(window)
                } else {
                    diagnostics.add(
                        Diagnostic(
                            "unknown quiet time '\(item.string)'", at: location,
                            hint: "use weekends, bank_holidays, or hours such as \"18:00-08:00\""))
                }
            }
        }
        return schedule
    }
}

/// A `match_re` pattern, anchored at both ends as Alertmanager's are.
public struct AnchoredPattern: @unchecked Sendable {
    // NSRegularExpression is immutable once made, so sharing it is safe.
    private let regex: NSRegularExpression
    public let text: String

    public init?(_ text: String) {
        guard let regex = try? NSRegularExpression(pattern: "^(?:\(text))$") else { return nil }
        self.regex = regex
        self.text = text
    }

    public func matches(_ value: String) -> Bool {
        regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }
}
