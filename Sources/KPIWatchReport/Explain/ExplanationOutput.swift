import KPIWatchCore
import KPIWatchEngine
import KPIWatchExpressions

/// `kpiwatch explain`'s three forms: a table to read, CSV (a header of field names, the key field first, `met`
/// true/false) for a spreadsheet, and one JSON object for a program.
public enum ExplanationOutput: String, Sendable, CaseIterable {
    case text, csv, json

    public func render(_ explanation: Explanation) -> String {
        switch self {
        case .text: return Self.text(explanation)
        case .csv: return Self.csv(explanation)
        case .json: return Self.json(explanation).serialized + "\n"
        }
    }

    /// A number as JSON writes it: whole numbers without a decimal point, others with every digit.
    static func number(_ value: Double?) -> String { value.map { KPIExportContext.number($0) } ?? "null" }

    static func cell(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .date(let day): return day.iso
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .number(let number): return KPIExportContext.number(number)
        case .string(let text): return text
        }
    }

    // MARK: - Text

    static func text(_ e: Explanation) -> String {
        let format = { (value: Double?) in ValueFormatter.format(value, unit: e.unit) }
        let dates: String?
        switch (e.periodStart, e.periodEnd) {
        case (let start?, let end?): dates = start == end ? "on \(end.iso)" : "\(start.iso) to \(end.iso)"
        case (nil, let end?): dates = "up to \(end.iso)"
        default: dates = nil
        }
        var out = "\(e.id): \(e.title)\n"
        out += "period \(e.period)\(dates.map { " (\($0))" } ?? ""), "
        out +=
            e.group.isEmpty
            ? "overall value\n" : "group " + e.group.map { "\($0.name)=\($0.text)" }.joined(separator: " ") + "\n"
        out += "value \(format(e.value)) (\(e.state.rawValue))"
        out += e.count.map { ", \(Counted.text($0, "record"))" } ?? ""
        if let expected = e.expectedCount { out += "; " + Self.interval(expected) }
        out += "\nvalue: \(e.expression)\n"
        let records = e.records.count
        for condition in e.conditions {
            out +=
                "  \(condition.column): \(condition.met) of \(Counted.text(records, "record")) meet \(condition.text)"
            if condition.text.hasPrefix("percent(") && records > 0 {
                out += " = 100 × \(condition.met) ÷ \(records)"
            }
            out += "\n"
        }
        if !e.inputs.isEmpty {
            out += "inputs:\n"
            for input in e.inputs {
                out +=
                    "  kpi.\(input.id) = \(number(input.value)) (\(ValueFormatter.format(input.value, unit: input.unit))\(input.period.map { " in \($0)" } ?? "")): \(input.title)\n"
            }
        }
        if let arithmetic = e.arithmetic {
            out += "arithmetic: \(arithmetic) = \(number(e.recomputed)) (\(format(e.recomputed)))\n"
        }
        if e.dataset != nil {
            out += "\n\(Counted.text(records, "record")) of dataset '\(e.dataset!)' in the value"
            out += e.conditions.isEmpty ? ":\n" : " (met: whether the condition holds):\n"
            if !e.masked.isEmpty {
                out += "(personal fields withheld: \(e.masked.joined(separator: ", ")); --show-personal shows them)\n"
            }
            out += table([e.columns] + e.records.map { $0.map { cell($0).escapingControlCharacters } })
        }
        return out
    }

    /// An expected count's interval in words, as `explain` and the report print it.
    package static func interval(_ expected: ExpectedCount) -> String {
        "\(expected.intervalText) of the \(Counted.text(expected.cases, "case")) breaching "
            + "(exact, if they are independent; standard deviation "
            + "\(ValueFormatter.decimal(expected.standardDeviation, places: 1)))"
    }

    private static func table(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map { _ in 0 }
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = min(max(widths[index], cell.count), 40) }
        }
        var out = ""
        for (number, row) in rows.enumerated() {
            let cells = row.enumerated().map { index, cell in
                let text = cell.count > widths[index] ? String(cell.prefix(widths[index] - 1)) + "…" : cell
                return text + String(repeating: " ", count: widths[index] - text.count)
            }
            out += cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
            if number == 0 { out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    // MARK: - CSV

    /// RFC 4180 with CRLF line ends; a KPI built on KPIs lists its inputs instead of records.
    static func csv(_ e: Explanation) -> String {
        var lines: [String]
        if e.dataset != nil {
            lines = [e.columns.map(KPICSV.cell).joined(separator: ",")]
            lines += e.records.map { $0.map { KPICSV.cell(cell($0)) }.joined(separator: ",") }
        } else {
            lines = ["kpi,title,period,value"]
            lines += e.inputs.map {
                [$0.id, $0.title, $0.period ?? "", $0.value.map { KPIExportContext.number($0) } ?? ""].map(KPICSV.cell)
                    .joined(separator: ",")
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: - JSON

    static func json(_ e: Explanation) -> JSONValue {
        func value(_ number: Double?) -> JSONValue { number.map(JSONValue.number) ?? .null }
        func typed(_ value: Value) -> JSONValue {
            switch value {
            case .null: return .null
            case .bool(let flag): return .bool(flag)
            case .int(let number): return .int(number)
            case .number(let number): return .number(number)
            case .string(let text): return .string(text)
            case .date(let day): return .string(day.iso)
            }
        }
        var pairs: [(String, JSONValue)] = [
            ("kpi", .string(e.id)), ("title", .string(e.title)), ("period", .string(e.period)),
            ("period_start", e.periodStart.map { .string($0.iso) } ?? .null),
            ("period_end", e.periodEnd.map { .string($0.iso) } ?? .null),
            ("group", .object(e.group.map { ($0.name, .string($0.text)) })), ("value", value(e.value)),
            ("count", e.count.map(JSONValue.int) ?? .null), ("state", .string(e.state.rawValue)),
            ("unit", .string(e.unit.rawValue)), ("expression", .string(e.expression)),
            ("recomputed", value(e.recomputed)),
        ]
        if let expected = e.expectedCount {
            pairs.append(
                (
                    "interval",
                    .object([
                        ("level", .number(expected.level)), ("low", .int(expected.low)), ("high", .int(expected.high)),
                        ("cases", .int(expected.cases)), ("standard_deviation", .number(expected.standardDeviation)),
                        ("method", .string("poisson_binomial")),
                    ])
                ))
        }
        if let dataset = e.dataset {
            pairs.append(("dataset", .string(dataset)))
            pairs.append(
                (
                    "conditions",
                    .array(
                        e.conditions.map {
                            .object([
                                ("aggregate", .string($0.text)), ("column", .string($0.column)), ("met", .int($0.met)),
                            ])
                        })
                ))
            pairs.append(("masked", .array(e.masked.map(JSONValue.string))))
            pairs.append(
                ("records", .array(e.records.map { row in .object(zip(e.columns, row).map { ($0, typed($1)) }) })))
        }
        if !e.inputs.isEmpty {
            pairs.append(
                (
                    "inputs",
                    .array(
                        e.inputs.map {
                            .object([
                                ("kpi", .string($0.id)), ("title", .string($0.title)),
                                ("period", $0.period.map(JSONValue.string) ?? .null), ("value", value($0.value)),
                            ])
                        })
                ))
            pairs.append(("arithmetic", e.arithmetic.map(JSONValue.string) ?? .null))
        }
        return .object(pairs)
    }
}
