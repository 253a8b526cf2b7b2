import KPIWatchCore

/// The table a manager reads in the morning: every KPI's current value, the threshold it broke
/// and its state, then the alerts.
public enum TextReport {
    public static func render(_ evaluation: Evaluation, color: Bool = false, includeAlerts: Bool = true) -> String {
        var rows: [[String]] = [["KPI", "Group", "Period", "Value", "Count", "State", "Breached"]]
        var states: [KPIState?] = [nil]
        var hiddenGroups = 0
        for result in evaluation.currentResults {
            // Group rows are shown where they need attention; the overall row always is.
            if !result.group.isEmpty && ![.warning, .critical, .error, .stale].contains(result.state) {
                hiddenGroups += 1
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
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = min(max(widths[index], cell.count), 48) }
        }
        var out = "kpiwatch as of \(evaluation.asOf.iso)\n\n"
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
        if hiddenGroups > 0 {
            out += "(\(hiddenGroups) group values in no breach not shown; --format json lists every value)\n"
        }
        out += "\n"
        if !includeAlerts {
        } else if evaluation.alerts.isEmpty {
            out += "No alerts.\n"
        } else {
            let critical = evaluation.alerts.filter { $0.severity == .critical }.count
            out +=
                "\(evaluation.alerts.count) alert\(evaluation.alerts.count == 1 ? "" : "s") (\(critical) critical):\n"
            for alert in evaluation.alerts {
                let tag = alert.severity.rawValue.uppercased()
                out +=
                    "  \(color ? paint(tag, alert.severity == .critical ? .critical : .warning) : tag)  [\(alert.rule)] \(alert.message.escapingControlCharacters)\n"
            }
        }
        for dataset in evaluation.datasets where dataset.status != .ok || dataset.rowsSkipped > 0 {
            out +=
                "\nDataset '\(dataset.name)' (\(dataset.origin.escapingControlCharacters)): \(dataset.status.rawValue)\n"
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
