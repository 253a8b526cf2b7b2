import Foundation
import KPIWatchCore
import KPIWatchExpressions

/// Renders alert messages and labels. Templates were checked when the rules loaded, so a
/// personal field cannot reach this point.
package enum TemplateRenderer {
    package static func kpiMessage(
        _ kpi: CompiledKPI, result: KPIResult, severity: AlertSeverity, benchmarks: [String: Benchmark],
        context: EvalContext
    ) -> String {
        guard let template = kpi.message else {
            let prefix = result.group.isEmpty ? "" : result.group.map(\.text).joined(separator: ", ") + ": "
            let value = ValueFormatter.format(result.value, unit: kpi.rule.unit)
            let breach = result.threshold.map { " (\($0))" } ?? (result.value == nil ? " (no data)" : "")
            return "\(prefix)\(kpi.rule.title): \(value) in \(result.period)\(breach)"
        }
        let unit = kpi.rule.unit
        var text = ""
        for part in template.parts {
            switch part {
            case .literal(let literal):
                text += literal
            case .special(let name):
                switch name {
                case "value": text += ValueFormatter.format(result.value, unit: unit)
                case "previous": text += ValueFormatter.format(result.previous, unit: unit)
                case "change":
                    let change = result.value.flatMap { v in result.previous.map { v - $0 } }
                    text += ValueFormatter.format(change, unit: unit == .percent ? .number : unit)
                    if unit == .percent, change != nil { text += " points" }
                case "count": text += ValueFormatter.plain(result.count.map(Value.int) ?? .null)
                case "period": text += result.period
                case "threshold": text += result.threshold ?? "–"
                case "severity": text += severity.rawValue
                case "state": text += result.state.rawValue
                case "title", "kpi.title": text += kpi.rule.title
                case "id": text += kpi.rule.id
                case "unit": text += unit.rawValue
                default:
                    if let placeholder = BenchmarkPlaceholder(name), let benchmark = benchmarks[placeholder.name] {
                        text += placeholder.render(benchmark, unit: unit)
                    } else if let field = result.group.first(where: { $0.name == name }) {
                        text += field.text
                    } else {
                        // A group field of the KPI in its overall value: the value covers every group.
                        text += "All"
                    }
                }
            case .expression(let expression, let number):
                // Evaluated with the thresholds' variables, so `{trend}` and `{forecast(…)}` read as they did there.
                text += ValueFormatter.plain(expression.evaluate(context), separators: number == .amount)
            }
        }
        return text
    }

    /// A record-level template (case alert message or label).
    package static func render(_ template: CompiledTemplate, context: EvalContext) -> String {
        var text = ""
        for part in template.parts {
            switch part {
            case .literal(let literal): text += literal
            case .special(let name): text += name
            case .expression(let expression, let number):
                text += ValueFormatter.plain(expression.evaluate(context), separators: number == .amount)
            }
        }
        return text
    }

    /// KPI labels may name group fields in braces: `team: "{team}"`; the overall value covers them all.
    package static func substituteGroup(_ text: String, group: [GroupField], fields: [String]) -> String {
        var result = text
        for name in fields {
            let value = group.first { $0.name == name }?.text ?? "All"
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }
}
