import KPIWatchCore
import KPIWatchEngine

/// What every chat format says about one notification: its badge, title and message (the message names the case
/// or group, the figures and what to do; the generic envelope carries the rest as data). Personal fields never reach
/// an `Alert`, so nothing here needs filtering.
package struct AlertDigest: Sendable, Equatable {
    package var notification: AlertNotice
    /// `CRITICAL`, `WARNING`, `UNKNOWN`, or `RESOLVED`.
    package var badge: String
    package var title: String
    package var message: String

    package var status: AlertStatus { notification.status }
    package var severity: AlertSeverity { notification.alert.severity }

    package init(_ notification: AlertNotice) {
        let alert = notification.alert
        self.notification = notification
        self.badge = notification.status == .resolved ? "RESOLVED" : alert.severity.rawValue.uppercased()
        self.title = alert.title.isEmpty ? alert.rule : alert.title
        self.message = alert.message
    }

    /// Firing before resolved, then the most severe first; the engine's order otherwise.
    package var rank: Int {
        if notification.status == .resolved { return 3 }
        switch notification.alert.severity {
        case .critical: return 0
        case .warning: return 1
        case .unknown: return 2
        }
    }
}

/// One line of a chat digest: a case, however many rules it breaks in the message (its most urgent alert leads, the
/// others are named after it), or one alert on a KPI.
package struct DigestLine: Sendable, Equatable {
    package var lead: AlertDigest
    /// The other rules the same case breaks in this message, in order of urgency.
    package var alsoRules: [String]
    /// The case or KPI value began firing since the last recorded run.
    package var isNew: Bool

    /// `CRITICAL`, `WARNING NEW`, `RESOLVED`, ….
    package var badge: String { lead.badge + (isNew ? " NEW" : "") }
    package var title: String { lead.title }
    /// The lead alert's message, then the other rules: `Case C1 (North) is at week 13 (also ep_advice_overdue)`.
    package var text: String {
        lead.message + (alsoRules.isEmpty ? "" : " (also " + alsoRules.joined(separator: ", ") + ")")
    }
    /// How many notifications the line stands for.
    package var alerts: Int { 1 + alsoRules.count }

    /// UTF-16 units of a line's title and of its text in every chat format: a digest line is read at a glance, and
    /// one long line must not crowd the others out of a message (Teams' 24 KB holds a few even when every character
    /// is escaped as `\uXXXX`). A line is cut at a character boundary with `…`, never left out.
    package static let titleLimit = 150
    package static let textLimit = 500

    package func clippedTitle(escape: (String) -> String) -> String {
        ChatText.clip(title, to: Self.titleLimit, escape: escape)
    }

    /// `text` in `textLimit`: the lead message is cut first, so that the other rules the case breaks still show.
    package func clippedText(escape: (String) -> String) -> String {
        guard !alsoRules.isEmpty else { return ChatText.clip(lead.message, to: Self.textLimit, escape: escape) }
        let also = ChatText.clip(
            " (also " + alsoRules.joined(separator: ", ") + ")", to: Self.textLimit / 2, escape: escape)
        return ChatText.clip(lead.message, to: Self.textLimit - ChatText.length(also), escape: escape) + also
    }
}

/// One message's worth of notifications (all of them, or those of one `group_by` combination)
/// and the words around them. Chat formats show it as a digest: the counts, what changed, the counts per rule and
/// per team, then one line per case (or KPI alert), most urgent first, and where the full report is.
package struct WebhookBatch: Sendable {
    /// The sink's name: the generic envelope's `receiver`.
    package var receiver: String
    package var heading: String
    /// `2 critical, 1 warning, 1 resolved · as of 2024-03-31`.
    package var summary: String
    /// The `group_by` fields and this message's values of them, in the order configured.
    package var groupLabels: [(name: String, value: String)]
    package var asOf: Day
    /// Most urgent first (`AlertDigest.rank`, then the engine's order).
    package var digests: [AlertDigest]
    /// One per case or KPI alert, most urgent first: what chat formats list.
    package var lines: [DigestLine]
    /// `Since the last run: 3 new, 1 resolved`, `By rule: …`, `By team: …`: the lines above the list.
    package var overview: [String]
    /// `Full report (as of …): …`, or that no report holds this run and the command that writes one (`ReportPointer`).
    package var reportPointer: String?
    /// The pointer names a report for this run: where the alerts not shown can be read.
    package var reportNamed: Bool

    package var notifications: [AlertNotice] { digests.map(\.notification) }

    /// The one-line text that notifications, previews and screen readers show.
    package var fallbackText: String { "\(heading): \(summary)" }

    /// Notifications in the lines after the first `shown`: what a message that shows only those counts as left out.
    package func alertsLeftOut(showing shown: Int) -> Int { lines.dropFirst(shown).reduce(0) { $0 + $1.alerts } }

    /// `… and 12 more alerts not shown — see the full report` (that last part only when a report for this run is
    /// named) under a digest showing its first `shown` lines; nil when every line is shown.
    package func leftOutNote(showing shown: Int) -> String? {
        let omitted = alertsLeftOut(showing: shown)
        guard omitted > 0 else { return nil }
        return MessageBudget.omittedNote(omitted) + (reportNamed ? " — see the full report" : "")
    }

    /// Entries named in `By rule:` and `By team:`; the rest are summed in one entry, so that the lines stay short
    /// and their counts still add up to the whole batch.
    package static let overviewEntries = 8
    /// UTF-16 units of a rule title, team or `group_by` value in the lines above the list.
    package static let nameLimit = 120

    /// `newSinceLastRun` marks lines NEW (nil: a first run, or a caller that does not know, marks none).
    package init(
        receiver: String, title: String?, groupLabels: [(name: String, value: String)], asOf: Day,
        digests: [AlertDigest], newSinceLastRun: Set<String>? = nil, reportPointer: ReportPointer? = nil
    ) {
        self.receiver = receiver
        self.groupLabels = groupLabels
        self.asOf = asOf
        self.digests = digests
        self.reportPointer = reportPointer?.text
        self.reportNamed = reportPointer?.namesReport ?? false
        var heading = title ?? "kpiwatch alerts"
        let labelled = groupLabels.filter { !$0.value.isEmpty }
        if !labelled.isEmpty {
            heading +=
                " — "
                + labelled.map { "\($0.name): " + ChatText.clip($0.value, to: Self.nameLimit) }
                .joined(separator: ", ")
        }
        self.heading = heading
        var counts: [String] = []
        for badge in ["CRITICAL", "WARNING", "UNKNOWN", "RESOLVED"] {
            let count = digests.filter { $0.badge == badge }.count
            if count > 0 { counts.append("\(count) \(badge.lowercased())") }
        }
        let others =
            digests.count - digests.filter { ["CRITICAL", "WARNING", "UNKNOWN", "RESOLVED"].contains($0.badge) }.count
        if others > 0 { counts.append("\(others) other") }
        self.summary = counts.joined(separator: ", ") + " · as of \(asOf.iso)"
        self.lines = Self.lines(digests, new: newSinceLastRun ?? [])
        self.overview = Self.overview(digests, lines: lines, new: newSinceLastRun)
    }

    /// A case's alerts on one line (firing and resolved apart); a KPI alert on its own. Most urgent first: by the
    /// lead's rank, then new before old, then the order of the digests.
    static func lines(_ digests: [AlertDigest], new: Set<String>) -> [DigestLine] {
        var lines: [DigestLine] = []
        var lineOfCase: [String: Int] = [:]
        for digest in digests {
            let alert = digest.notification.alert
            let isNew = digest.status == .firing && new.contains(alert.identity)
            guard alert.kind == .caseAlert, let key = alert.key else {
                lines.append(DigestLine(lead: digest, alsoRules: [], isNew: isNew))
                continue
            }
            let caseKey = "\(digest.status.rawValue)|\(key)"
            if let index = lineOfCase[caseKey] {
                lines[index].alsoRules.append(alert.rule)
                lines[index].isNew = lines[index].isNew || isNew
            } else {
                lineOfCase[caseKey] = lines.count
                lines.append(DigestLine(lead: digest, alsoRules: [], isNew: isNew))
            }
        }
        return lines.enumerated()
            .sorted {
                ($0.element.lead.rank, $0.element.isNew ? 0 : 1, $0.offset) < (
                    $1.element.lead.rank, $1.element.isNew ? 0 : 1, $1.offset
                )
            }
            .map(\.element)
    }

    static func overview(_ digests: [AlertDigest], lines: [DigestLine], new: Set<String>?) -> [String] {
        var overview: [String] = []
        let firing = digests.filter { $0.status == .firing }
        if new != nil {
            let newLines = lines.filter(\.isNew).count
            let resolved = lines.filter { $0.lead.status == .resolved }.count
            overview.append("Since the last run: \(newLines) new, \(resolved) resolved")
        }
        // Per rule, most severe first, then the largest count.
        var rules: [(title: String, rank: Int, count: Int, order: Int)] = []
        var ruleIndex: [String: Int] = [:]
        for digest in firing {
            let rule = digest.notification.alert.rule
            if let index = ruleIndex[rule] {
                rules[index].count += 1
                rules[index].rank = min(rules[index].rank, digest.rank)
            } else {
                ruleIndex[rule] = rules.count
                rules.append((digest.title, digest.rank, 1, rules.count))
            }
        }
        if !rules.isEmpty {
            let sorted = rules.sorted { ($0.rank, -$0.count, $0.order) < ($1.rank, -$1.count, $1.order) }
            overview.append(countsLine("By rule: ", sorted.map { ($0.title, $0.count) }, others: "other rules"))
        }
        // Per team, lines (cases and KPI values) rather than alerts: a case that breaks two rules counts once.
        let teams = lines.filter { $0.lead.status == .firing }.compactMap {
            AlertFields($0.lead.notification.alert).value(of: "team")
        }
        if !teams.isEmpty {
            let counts = Dictionary(grouping: teams) { $0 }.mapValues(\.count)
                .sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            overview.append(countsLine("By team: ", counts.map { ($0.key, $0.value) }, others: "other teams"))
        }
        return overview
    }

    /// `By team: West 43 · East 41 · … · 3 other teams 12`: the first `overviewEntries`, then the rest summed.
    static func countsLine(_ label: String, _ counts: [(name: String, count: Int)], others: String) -> String {
        // One entry past the limit is named rather than summed as "1 other".
        let named = counts.count <= overviewEntries + 1 ? counts.count : overviewEntries
        var entries = counts.prefix(named).map { ChatText.clip($0.name, to: nameLimit) + " \($0.count)" }
        let rest = counts.dropFirst(named)
        if !rest.isEmpty { entries.append("\(rest.count) \(others) \(rest.reduce(0) { $0 + $1.count })") }
        return label + entries.joined(separator: " · ")
    }
}
