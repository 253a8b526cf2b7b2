import KPIWatchCore

/// What `check` prints for a manager to read in the morning: the summary (KPIs by state, what changed since the
/// last recorded run, alerts by severity), then the KPIs in breach with the threshold each broke, then the alerts
/// (unless a stdout sink prints them through the pipeline). `all` lists every KPI and every case.
public enum TextReport {
    /// States a KPI value needs attention in: the table shows such a value's row, and its KPI's overall row.
    static let attention: Set<KPIState> = [.warning, .critical, .error, .stale]

    public static func render(
        _ evaluation: Evaluation, summary: RunSummary? = nil, color: Bool = false, includeAlerts: Bool = true,
        all: Bool = false
    ) -> String {
        let summary = summary ?? RunSummary(unrecorded: evaluation)
        let results = evaluation.currentResults
        let needingAttention = Set(results.filter { attention.contains($0.state) }.map(\.id))
        var rows: [[String]] = [["KPI", "Group", "Period", "Value", "Count", "State", "Breached"]]
        var states: [KPIState?] = [nil]
        var hiddenGroups = 0
        var hiddenKPIs: Set<String> = []
        for result in results {
            // A group row is shown where it needs attention; an overall row where its KPI does (any row: always).
            let shown =
                attention.contains(result.state)
                || result.group.isEmpty && (all || needingAttention.contains(result.id))
            guard shown else {
                if result.group.isEmpty { hiddenKPIs.insert(result.id) } else { hiddenGroups += 1 }
                continue
            }
            // Cells come from the data (group values) and the rules: escaped, so a cell cannot drive the terminal.
            rows.append(
                [
                    result.group.isEmpty ? result.id : "",
                    result.group.isEmpty ? "all" : result.group.map(\.text).joined(separator: ", "),
                    result.period,
                    ValueFormatter.format(result.value, unit: result.unit),
                    result.count.map { ValueFormatter.decimal(Double($0), places: 0) } ?? "",
                    result.state.rawValue,
                    result.threshold ?? "",
                ].map(\.escapingControlCharacters))
            states.append(result.state)
        }
        var out = "kpiwatch as of \(evaluation.asOf.iso)\n\n" + summary.render(evaluation) + "\n"
        if needingAttention.isEmpty && !all {
            out += "No KPI is in breach.\n"
        } else {
            out += all ? "Every KPI:\n" : "\(Counted.text(needingAttention.count, "KPI")) in breach or not evaluated:\n"
            out += table(rows, states: states, color: color)
        }
        var hidden: [String] = []
        if !hiddenKPIs.isEmpty { hidden.append(Counted.text(hiddenKPIs.count, "KPI") + " not in breach") }
        if hiddenGroups > 0 { hidden.append(Counted.text(hiddenGroups, "group value") + " in no breach") }
        if !hidden.isEmpty {
            let lists = all ? "--format json lists every value" : "--all lists every KPI, --format json every value"
            out += "(" + hidden.joined(separator: " and ") + " not shown; \(lists))\n"
        }
        out += "\n"
        if includeAlerts {
            out += AlertListing.render(summary.firing + summary.resolved, new: summary.newSinceLastRun, all: all)
        }
        for dataset in evaluation.datasets where dataset.status != .ok || dataset.rowsSkipped > 0 {
            out +=
                "\nDataset '\(dataset.name)' (\(dataset.origin.escapingControlCharacters)): \(dataset.status.rawValue)\n"
        }
        return out
    }

    /// The rows as aligned columns under a rule line, long cells cut with an ellipsis.
    private static func table(_ rows: [[String]], states: [KPIState?], color: Bool) -> String {
        var out = ""
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = min(max(widths[index], cell.count), 48) }
        }
        for (number, row) in rows.enumerated() {
            var line = ""
            for (index, cell) in row.enumerated() {
                let text = cell.count > widths[index] ? String(cell.prefix(widths[index] - 1)) + "…" : cell
                let padded = text + String(repeating: " ", count: widths[index] - text.count)
                line += index == 5 && color ? paint(padded, states[number]) : padded
                line += index == row.count - 1 ? "" : "  "
            }
            out += line.trimmingTrailingSpaces() + "\n"
            if number == 0 {
                out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    package static func paint(_ text: String, _ state: KPIState?) -> String {
        switch state {
        case .critical, .error, .stale: return "\u{1B}[31m\(text)\u{1B}[0m"
        case .warning: return "\u{1B}[33m\(text)\u{1B}[0m"
        case .ok: return "\u{1B}[32m\(text)\u{1B}[0m"
        default: return text
        }
    }
}

extension String {
    package func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
