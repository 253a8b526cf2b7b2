import KPIWatchCore

/// The alerts as a person reads them in a terminal: the alerts on KPIs, then the case alerts grouped per rule with
/// their count, counts per team and the first few cases (those new since the last run first), most severe rule
/// first. `all` lists every alert.
/// NEW marks an alert that began firing since the last recorded run; without a set (a first run) nothing is marked.
public enum AlertListing {
    /// Alerts listed per rule before the rest are counted.
    public static let shownPerRule = 5

    public static func render(_ notices: [AlertNotice], new: Set<String>?, all: Bool = false) -> String {
        if notices.isEmpty { return "No alerts.\n" }
        let listing = Listing(new: new, all: all)
        let kpiNotices = notices.filter { $0.alert.kind == .kpi }
        let caseNotices = notices.filter { $0.alert.kind == .caseAlert }
        var out = ""
        if !kpiNotices.isEmpty { out += listing.kpiSection(kpiNotices) }
        if !caseNotices.isEmpty { out += (out.isEmpty ? "" : "\n") + listing.caseSection(caseNotices) }
        return out
    }

    /// One rule's notices, in the order they came.
    struct RuleGroup {
        var rule: String
        var title: String
        var firing: [AlertNotice] = []
        var resolved: [AlertNotice] = []

        var worst: Int { firing.map { RunSummary.severityRank($0.alert.severity) }.min() ?? 3 }
    }

    /// Per rule in the order rules first appear, then most severe rule first (a stable sort keeps that order
    /// among equals).
    static func byRule(_ notices: [AlertNotice]) -> [RuleGroup] {
        var order: [String] = []
        var groups: [String: RuleGroup] = [:]
        for notice in notices {
            let rule = notice.alert.rule
            if groups[rule] == nil {
                order.append(rule)
                groups[rule] = RuleGroup(rule: rule, title: notice.alert.title)
            }
            if notice.status == .firing {
                groups[rule]!.firing.append(notice)
            } else {
                groups[rule]!.resolved.append(notice)
            }
        }
        return order.enumerated().map { ($0.offset, groups[$0.element]!) }
            .sorted { ($0.1.worst, $0.0) < ($1.1.worst, $1.0) }.map(\.1)
    }

    private struct Listing {
        var new: Set<String>?
        var all: Bool

        func isNew(_ notice: AlertNotice) -> Bool {
            notice.status == .firing && new?.contains(notice.alert.identity) == true
        }

        /// What a rule lists first: the alerts new since the last run, then the others, each in the order they came.
        func firstShown(_ firing: [AlertNotice]) -> [AlertNotice] {
            let ordered = firing.filter(isNew) + firing.filter { !isNew($0) }
            return all ? ordered : Array(ordered.prefix(AlertListing.shownPerRule))
        }

        func tag(_ notice: AlertNotice) -> String {
            let severity = notice.status == .resolved ? "RESOLVED" : notice.alert.severity.rawValue.uppercased()
            return severity + (isNew(notice) ? " NEW" : "")
        }

        /// `KPI alerts: 60 firing (15 critical, 12 new), 3 resolved`
        func headline(_ noun: String, _ notices: [AlertNotice], cases: Int? = nil) -> String {
            let firing = notices.filter { $0.status == .firing }
            let resolved = notices.count - firing.count
            var details: [String] = []
            let critical = firing.filter { $0.alert.severity == .critical }.count
            if critical > 0 { details.append("\(critical) critical") }
            let newCount = firing.filter(isNew).count
            if newCount > 0 { details.append("\(newCount) new") }
            var text = "\(noun): \(firing.count) firing"
            if let cases, cases != firing.count { text += " on " + Counted.text(cases, "case") }
            if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
            if resolved > 0 { text += ", \(resolved) resolved" }
            return text
        }

        func kpiSection(_ notices: [AlertNotice]) -> String {
            var out = headline("KPI alerts", notices) + "\n"
            for group in AlertListing.byRule(notices) {
                let shown = firstShown(group.firing)
                for notice in shown + group.resolved {
                    out += "  \(tag(notice))  [\(group.rule)] \(notice.alert.message)".escapingControlCharacters + "\n"
                }
                let rest = group.firing.count - shown.count
                if rest > 0 {
                    out +=
                        "    … and \(rest) more [\(group.rule)] \(rest == 1 ? "value" : "values") in breach"
                        .escapingControlCharacters + "\n"
                }
            }
            return out
        }

        func caseSection(_ notices: [AlertNotice]) -> String {
            let cases = Set(notices.filter { $0.status == .firing }.map { $0.alert.key ?? $0.alert.identity }).count
            var out = headline("Case alerts by rule", notices, cases: cases)
            out += all ? "\n" : "; the first \(AlertListing.shownPerRule) of each rule shown, --all lists every case\n"
            for group in AlertListing.byRule(notices) {
                out += "  " + header(group).escapingControlCharacters + "\n"
                let shown = firstShown(group.firing)
                for notice in shown {
                    out += "    \(tag(notice))  \(notice.alert.message)".escapingControlCharacters + "\n"
                }
                let rest = group.firing.count - shown.count
                if rest > 0 { out += "    … and \(Counted.text(rest, "more case", plural: "more cases"))\n" }
                if !group.resolved.isEmpty {
                    out += "    " + resolvedCases(group.resolved).escapingControlCharacters + "\n"
                }
            }
            return out
        }

        /// `[assessment_past_52_weeks] Assessment open past 52 weeks: 5 cases, 2 new (North 2, East 2, South 1)`
        private func header(_ group: RuleGroup) -> String {
            var text = "[\(group.rule)] \(group.title): " + Counted.text(group.firing.count, "case")
            let newCount = group.firing.filter(isNew).count
            if newCount > 0 { text += ", \(newCount) new" }
            let teams = teamCounts(group.firing)
            if !teams.isEmpty { text += " (" + teams + ")" }
            return text
        }

        /// Counts per team, largest first; nothing when no alert of the rule names a team.
        private func teamCounts(_ notices: [AlertNotice]) -> String {
            let teams = notices.map { AlertFields($0.alert).value(of: "team") }
            guard teams.contains(where: { $0 != nil }) else { return "" }
            let counts = Dictionary(grouping: teams.map { $0 ?? "no team" }) { $0 }.mapValues(\.count)
            return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ")
        }

        /// `RESOLVED  EHC-000123, EHC-000456 and 3 more`: case ids only; every one with `all`.
        private func resolvedCases(_ notices: [AlertNotice]) -> String {
            let ids = notices.map { $0.alert.key ?? $0.alert.identity }
            let shown = all ? ids : Array(ids.prefix(AlertListing.shownPerRule))
            let rest = ids.count - shown.count
            return "RESOLVED  " + shown.joined(separator: ", ") + (rest > 0 ? " and \(rest) more" : "")
        }
    }
}
