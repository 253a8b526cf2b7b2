import KPIWatchCore
import KPIWatchEngine

/// The case alerts counted per rule, team and caseworker. Only ids and counts: a case alert carries the record's
/// key and its labels, never a personal field (rules that would put one in are refused when they load).
package struct CasesAtRiskBuilder {
    package let alerts: [Alert]
    package let format: ReportFormat
    package let chartFolder: String

    package static let unknown = "(not given)"

    package func build() -> CasesAtRisk {
        let cases = alerts.filter { $0.kind == .caseAlert }
        var order: [String] = []
        var byRule: [String: [Alert]] = [:]
        for alert in cases {
            if byRule[alert.rule] == nil { order.append(alert.rule) }
            byRule[alert.rule, default: []].append(alert)
        }
        let rules = order.map { rule in
            let alerts = byRule[rule]!
            let keys = Array(Set(alerts.compactMap(\.key))).sorted()
            return CaseRuleRow(
                id: rule, title: format.text(alerts[0].title), severity: alerts[0].severity.rawValue, count: keys.count,
                caseIDs: format.text(keys.joined(separator: ", ")))
        }
        let teams = counts(cases, label: "team")
        let distinct = Set(cases.compactMap(\.key)).count
        let summary =
            "\(Counted.text(distinct, "case")) \(distinct == 1 ? "raises" : "raise") \(Counted.text(cases.count, "case alert"))"
        return CasesAtRisk(
            alerts: cases.count, cases: distinct, summary: summary, rules: rules, teams: teams.map(escaped),
            caseworkers: counts(cases, label: "caseworker").map(escaped), teamChart: teamChart(teams))
    }

    /// Distinct cases per value of a label, most first; a case counts once, at its most severe alert.
    private func counts(_ cases: [Alert], label: String) -> [CaseCountRow] {
        var severity: [String: [String: String]] = [:]
        for alert in cases {
            let name = alert.labels[label].flatMap { $0.isEmpty ? nil : $0 } ?? Self.unknown
            let key = alert.key ?? ""
            if severity[name]?[key] != "critical" { severity[name, default: [:]][key] = alert.severity.rawValue }
        }
        return severity.map { name, keys in
            CaseCountRow(
                name: name, cases: keys.count, critical: keys.values.filter { $0 == "critical" }.count,
                warning: keys.values.filter { $0 == "warning" }.count)
        }.sorted { ($0.cases, $1.name) > ($1.cases, $0.name) }
    }

    private func escaped(_ row: CaseCountRow) -> CaseCountRow {
        var row = row
        row.name = format.text(row.name)
        return row
    }

    private func teamChart(_ teams: [CaseCountRow]) -> ReportChart? {
        guard !teams.isEmpty else { return nil }
        let bars = teams.map { team in
            BarChart.Bar(
                label: team.name, value: Double(team.cases),
                note: "\(team.cases) (\(team.critical) critical)", className: "bar bar-cases")
        }
        let chart = BarChart(
            title: "Cases at risk per team", bars: bars, format: { ValueFormatter.decimal($0, places: 0) })
        return ReportChart(title: chart.title, svg: chart.svg(), file: "\(chartFolder)/cases-per-team.svg")
    }
}
