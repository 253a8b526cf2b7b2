import KPIWatchCore

/// `kpiwatch check --format csv`: one row per KPI value, every period and group, in the long format that Power BI
/// and Excel pivot tables read (RFC 4180: comma-separated, CRLF line ends, quoted where needed). Columns: `kpi`,
/// `title`, `period`, `period_start`, `period_end`, `current`, `group` (`All` or `team=North`), one column per
/// group field, `value`, `count`, `state`, `unit`, `threshold` (the condition that set the state),
/// `warning_when`, `critical_when`, and one `benchmark.NAME` column per benchmark a KPI's thresholds compare with.
///
/// Text that reaches a cell from the data or the rules (group values, titles) is guarded against formula
/// injection as OWASP recommends: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`, so a spreadsheet shows it as text instead of running it. Numbers are written as numbers.
public enum KPICSV {
    public static func render(_ evaluation: Evaluation, project: LoadedProject) -> String {
        let context = KPIExportContext(project)
        let results = evaluation.results
        let groupFields = KPIExportContext.groupFields(of: results)
        let benchmarks = context.benchmarkNames(for: results)
        var header = ["kpi", "title", "period", "period_start", "period_end", "current", "group"]
        header += groupFields.map { $0 == "group" ? "group_field" : $0 }
        header += ["value", "count", "state", "unit", "threshold", "warning_when", "critical_when"]
        header += benchmarks.map { "benchmark.\($0)" }
        var lines = [header.map(cell).joined(separator: ",")]
        for result in results {
            let rule = context.rules[result.id]
            let values = Dictionary(result.group.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
            var fields = [
                result.id, result.title, result.period, result.periodStart?.iso ?? "", result.periodEnd?.iso ?? "",
                result.current ? "true" : "false",
                result.group.isEmpty ? "All" : result.group.map { "\($0.name)=\($0.text)" }.joined(separator: ";"),
            ].map(cell)
            fields += groupFields.map { cell(values[$0] ?? "") }
            // Numbers are written as numbers: a negative value is not a formula.
            fields += [result.value.map(KPIExportContext.number) ?? "", result.count.map(String.init) ?? ""]
            fields += [
                result.state.rawValue, result.unit.rawValue, result.threshold ?? "", rule?.warningWhen ?? "",
                rule?.criticalWhen ?? "",
            ].map(cell)
            fields += benchmarks.map { name in
                rule?.benchmarks.first { $0.name == name }.map { KPIExportContext.number($0.value) } ?? ""
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A text cell: guarded against formula injection, then quoted as RFC 4180 asks.
    package static func cell(_ text: String) -> String {
        CSVField.quote(guardedAgainstFormulas(text))
    }

    package static func guardedAgainstFormulas(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else {
            return text
        }
        return "'" + text
    }
}
