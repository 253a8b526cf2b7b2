import KPIWatchCore

/// What a manager reads first: the KPIs by state, what changed since the state store's last recorded run, and the
/// alerts by severity. The check works it out from the state store before it records or sends anything, so that
/// it can stand above the table and the alerts (docs/alerts.md, "What check prints").
public struct RunSummary: Sendable {
    /// One KPI value whose state moved since the last recorded run.
    public struct StateChange: Sendable, Hashable {
        public var kpi: String
        /// Empty for the overall value.
        public var group: [String]
        public var from: KPIState
        public var to: KPIState

        public init(kpi: String, group: [String], from: KPIState, to: KPIState) {
            self.kpi = kpi
            self.group = group
            self.from = from
            self.to = to
        }

        /// How a person names the move; nil for one not worth a line (from `no_data` to `ok`, say).
        public var kind: Kind? {
            switch (from.severity, to.severity) {
            case (nil, .some) where from != to: return .breached
            case (.warning, .critical): return .worse
            case (.critical, .warning): return .better
            case (.some, nil) where to == .error || to == .stale: return .notEvaluated
            // A month's KPI has no value yet on the 1st: that is not a recovery.
            case (.some, nil) where to == .noData || to == .suppressed: return .withoutData
            case (.some, nil): return .recovered
            case (nil, nil) where (to == .error || to == .stale) && from != .error && from != .stale:
                return .notEvaluated
            default: return nil
            }
        }
    }

    /// In the order the summary lists them.
    public enum Kind: String, Sendable, CaseIterable {
        case breached = "newly breached"
        case worse = "now critical"
        case notEvaluated = "not evaluated"
        case better = "now warning"
        case recovered
        case withoutData = "without data now"
    }

    /// The as-of day of the last recorded run; nil when this is the state store's first run.
    public var previousAsOf: Day?
    public var changes: [StateChange]
    /// Alerts firing after this run that the sinks are given (held-back ones are only counted), each with the day
    /// its episode began.
    public var firing: [AlertNotice]
    /// Alerts that resolved in this run.
    public var resolved: [AlertNotice]
    /// Identities of the firing alerts that began since the last recorded run; empty on a first run.
    public var new: Set<String>
    /// Firing alerts held back from every sink: inhibited by a more urgent alert, or silenced.
    public var inhibited: Int
    public var silenced: Int

    public init(
        previousAsOf: Day?, changes: [StateChange], firing: [AlertNotice], resolved: [AlertNotice], new: Set<String>,
        inhibited: Int = 0, silenced: Int = 0
    ) {
        self.previousAsOf = previousAsOf
        self.changes = changes
        self.firing = firing
        self.resolved = resolved
        self.new = new
        self.inhibited = inhibited
        self.silenced = silenced
    }

    /// An evaluation with no state store to compare with: every alert firing, nothing held back or marked NEW.
    public init(unrecorded evaluation: Evaluation) {
        self.init(
            previousAsOf: nil, changes: [],
            firing: evaluation.alerts.map { AlertNotice(alert: $0, firstSeen: evaluation.asOf) }, resolved: [],
            new: [])
    }

    /// What the alert listing marks NEW: nothing on a first run, where every alert would be.
    public var newSinceLastRun: Set<String>? { previousAsOf == nil ? nil : new }

    /// How many list entries a summary line names before it counts the rest.
    static let namedPerLine = 6

    /// The summary block: a label column, then the figures.
    public func render(_ evaluation: Evaluation) -> String {
        var out = line("KPIs", kpiStates(evaluation.currentResults))
        guard let previousAsOf else {
            out += line("Changes", "none shown: this is the first recorded run; the next run marks what is NEW")
            return out + alertLines()
        }
        let byKind = Dictionary(grouping: changes.filter { $0.kind != nil }) { $0.kind! }
        if byKind.isEmpty {
            out += line("Changes", "no KPI changed state since the run as of \(previousAsOf.iso)")
        } else {
            let counts = Kind.allCases.compactMap { kind in
                byKind[kind].map { kpiCount(Set($0.map(\.kpi)).count, kind) }
            }
            out += line("Changes", "since the run as of \(previousAsOf.iso): " + counts.joined(separator: ", "))
            let width = byKind.keys.map(\.rawValue.count).max() ?? 0
            for kind in Kind.allCases {
                guard let moved = byKind[kind] else { continue }
                let label = kind.rawValue + String(repeating: " ", count: width - kind.rawValue.count)
                out += String(repeating: " ", count: Self.labelWidth + 2) + label + "  " + named(moved, kind) + "\n"
            }
        }
        return out + alertLines()
    }

    static let labelWidth = 9

    private func line(_ label: String, _ text: String) -> String {
        label + String(repeating: " ", count: Self.labelWidth - label.count) + "  " + text + "\n"
    }

    /// Each KPI counted once, at the worst state of its current values (its overall value or any group).
    private func kpiStates(_ results: [KPIResult]) -> String {
        var worst: [String: KPIState] = [:]
        var order: [String] = []
        for result in results {
            guard let held = worst[result.id] else {
                worst[result.id] = result.state
                order.append(result.id)
                continue
            }
            if Self.rank(result.state) < Self.rank(held) { worst[result.id] = result.state }
        }
        guard !order.isEmpty else { return "none evaluated" }
        let counts = Dictionary(grouping: worst.values) { $0 }.mapValues(\.count)
        let parts = Self.stateOrder.compactMap { state in
            counts[state].map { "\($0) \(state == .noData ? "no data" : state.rawValue)" }
        }
        return "\(order.count) evaluated: " + parts.joined(separator: ", ")
    }

    /// Worst first: a KPI is counted under the first of these that any of its values is in.
    static let stateOrder: [KPIState] = [.critical, .warning, .error, .stale, .noData, .suppressed, .ok]

    static func rank(_ state: KPIState) -> Int { stateOrder.firstIndex(of: state) ?? stateOrder.count }

    private func kpiCount(_ count: Int, _ kind: Kind) -> String {
        // "1 KPI newly breached", then the other kinds without the noun: "3 recovered".
        kind == Kind.allCases.first { k in changes.contains { $0.kind == k } }
            ? Counted.text(count, "KPI") + " " + kind.rawValue : "\(count) \(kind.rawValue)"
    }

    /// `timeliness_20w (all, East) critical, open_past_52w (South) critical`, KPIs in the order they changed.
    private func named(_ moved: [StateChange], _ kind: Kind) -> String {
        var order: [String] = []
        var groups: [String: [StateChange]] = [:]
        for change in moved {
            if groups[change.kpi] == nil { order.append(change.kpi) }
            groups[change.kpi, default: []].append(change)
        }
        let entries = order.prefix(Self.namedPerLine).map { kpi in
            let values = groups[kpi]!
            let overallOnly = values.count == 1 && values[0].group.isEmpty
            let names = overallOnly ? "" : " (" + values.map(Self.groupName).joined(separator: ", ") + ")"
            let state = [.recovered, .withoutData].contains(kind) ? "" : " " + Self.stateWord(values.map(\.to))
            return (kpi + names + state).escapingControlCharacters
        }
        let rest = order.count - entries.count
        return entries.joined(separator: ", ") + (rest > 0 ? ", and \(rest) more" : "")
    }

    private static func groupName(_ change: StateChange) -> String {
        change.group.isEmpty ? "all" : change.group.joined(separator: ", ")
    }

    /// The state the values moved to; the worst when they differ.
    private static func stateWord(_ states: [KPIState]) -> String {
        let state = states.min { rank($0) < rank($1) } ?? .ok
        return state == .noData ? "no data" : state.rawValue
    }

    private func alertLines() -> String {
        var text: String
        if firing.isEmpty {
            text = "none firing"
        } else {
            let bySeverity = Dictionary(grouping: firing) { $0.alert.severity }.mapValues(\.count)
            let severities = AlertSeverity.allCases.sorted { Self.severityRank($0) < Self.severityRank($1) }
                .compactMap { severity in bySeverity[severity].map { "\($0) \(severity.rawValue)" } }
            let cases = firing.filter { $0.alert.kind == .caseAlert }.count
            text = "\(firing.count) firing: " + severities.joined(separator: ", ")
            text += " (\(Counted.text(firing.count - cases, "on a KPI", plural: "on KPIs")), "
            text += "\(Counted.text(cases, "on a case", plural: "on cases")))"
        }
        if previousAsOf != nil {
            let newCount = firing.filter { new.contains($0.alert.identity) }.count
            text +=
                newCount == 0 && resolved.isEmpty
                ? "; none new or resolved" : "; \(newCount) new, \(resolved.count) resolved"
        } else if !resolved.isEmpty {
            text += "; \(resolved.count) resolved"
        }
        var out = line("Alerts", text)
        var held: [String] = []
        if inhibited > 0 {
            held.append("\(inhibited) inhibited (a more urgent alert about the same case or group stands for each)")
        }
        if silenced > 0 { held.append("\(silenced) silenced") }
        if !held.isEmpty { out += line("Held back", held.joined(separator: ", ")) }
        return out
    }

    static func severityRank(_ severity: AlertSeverity) -> Int {
        switch severity {
        case .critical: return 0
        case .warning: return 1
        case .unknown: return 2
        }
    }
}
