import KPIWatchCore
import KPIWatchExpressions

/// A forecast's output as rows of named columns, printed as an aligned text table, CSV (RFC 4180, text
/// guarded against formulas) or JSON lines, one object per row.
package struct ForecastTable: Sendable {
    package enum Format: String, Sendable, CaseIterable {
        case text, csv, json
    }

    package var columns: [String]
    package var rows: [[JSONValue]]

    package init(columns: [String], rows: [[JSONValue]] = []) {
        self.columns = columns
        self.rows = rows
    }

    package func render(_ format: Format) -> String {
        switch format {
        case .json:
            return rows.map { JSONValue.object(Array(zip(columns, $0))).serialized + "\n" }.joined()
        case .csv:
            let lines = [columns.map(KPICSV.cell)] + rows.map { $0.map(Self.csvCell) }
            return lines.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        case .text:
            let cells = [columns] + rows.map { $0.map(Self.text) }
            let widths = columns.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
            return cells.map { line in
                zip(line, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingTrailingSpaces()
            }.joined(separator: "\n") + "\n"
        }
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "-"
        case .string(let text): return text
        default: return value.serialized
        }
    }

    private static func csvCell(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .string(let text): return KPICSV.cell(text)
        default: return value.serialized
        }
    }

    /// A probability or figure rounded for reading, kept a number.
    package static func rounded(_ value: Double, places: Int) -> JSONValue {
        guard value.isFinite else { return .null }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return .number((value * scale).rounded() / scale)
    }
}
