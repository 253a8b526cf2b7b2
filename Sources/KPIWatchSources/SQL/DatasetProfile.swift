import KPIWatchCore
import KPIWatchEngine

/// What one query over a SQL dataset tells before anything is pushed down: how many rows it has,
/// which fields hold values the in-process reader would reject (those must be reported row by
/// row, so such a dataset is read in process), and which text fields are ASCII throughout.
package struct DatasetProfile: Sendable {
    package var rows: Int
    package var badValues: [String: Int]
    package var asciiFields: Set<String>

    /// `SELECT COUNT(*), <bad values per field>, <non-ASCII values per string field> FROM (query) AS src`.
    package static func query(for mapping: SQLFieldMapping) -> PushdownQuery {
        var columns = ["COUNT(*)"]
        for field in mapping.dataset.fields {
            columns.append("SUM(\(mapping.badValueCondition(field)))")
        }
        for field in mapping.dataset.fields where field.type == .string {
            let text = mapping.fields[field.name]!.sql
            let exact = "CASE WHEN \(mapping.dialect.isNonASCII(text)) THEN 1 ELSE 0 END"
            // Trimming and null_values only remove characters, so a cell that is ASCII as stored stays ASCII: only
            // the others (rare) are trimmed to be tested, which kept the national profile from trimming every cell.
            guard let raw = mapping.rawText(field.name) else {
                columns.append("SUM(\(exact))")
                continue
            }
            columns.append("SUM(CASE WHEN \(mapping.dialect.isNonASCII(raw)) THEN \(exact) ELSE 0 END)")
        }
        return PushdownQuery(sql: "SELECT \(columns.joined(separator: ", ")) FROM \(mapping.sourceClause)")
    }

    package init(rows: Int, badValues: [String: Int], asciiFields: Set<String>) {
        self.rows = rows
        self.badValues = badValues
        self.asciiFields = asciiFields
    }

    package init(_ row: PushdownRow, mapping: SQLFieldMapping) {
        func number(_ cell: Cell) -> Int {
            switch cell {
            case .int(let value): return value
            case .number(let value): return Int(value)
            case .text(let text): return Int(text) ?? Int(Double(text) ?? 0)
            default: return 0
            }
        }
        rows = row.isEmpty ? 0 : number(row[0])
        var position = 1
        badValues = [:]
        for field in mapping.dataset.fields {
            let count = position < row.count ? number(row[position]) : 0
            if count > 0 { badValues[field.name] = count }
            position += 1
        }
        asciiFields = []
        for field in mapping.dataset.fields where field.type == .string {
            if position < row.count, number(row[position]) == 0 { asciiFields.insert(field.name) }
            position += 1
        }
    }
}
