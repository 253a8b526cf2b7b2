import Foundation
import KPIWatchCore
import KPIWatchEngine

/// How each field of a SQL dataset reads in SQL so that it equals what `CellDecoder` makes of
/// the cell: text trimmed and `null_values` made null; numbers and dates in the field's type.
/// `refusal` says why the dataset as a whole cannot be pushed down, if it cannot.
package struct SQLFieldMapping: Sendable {
    package let dataset: DatasetConfig
    package let dialect: SQLDialect
    package let query: String
    package var fields: [String: SQLExpressionTranslator.Field] = [:]
    package var columns: [String: String] = [:]
    package var refusal: String?

    /// - Parameters:
    ///   - columns: each field's column as the source names it (`DatasetReader.resolveColumns`).
    ///   - types: the columns' SQL types where the database declares them (PostgreSQL).
    package init(
        dataset: DatasetConfig, dialect: SQLDialect, query: String, columns: [String], types: [String: SQLColumnType]
    ) {
        self.dataset = dataset
        self.dialect = dialect
        self.query = Self.trimmedQuery(query)
        for (field, column) in zip(dataset.fields, columns) {
            self.columns[field.name] = column
            let raw = "src." + SQLDialect.identifier(column)
            fields[field.name] = .init(sql: sql(for: field, raw: raw), type: field.type)
            if refusal == nil, let type = types[column], let problem = Self.mismatch(field, column, type) {
                refusal = problem
            }
        }
        if refusal == nil, dataset.option("pushdown")?.lowercased() == "false" {
            refusal = "pushdown: false is set on the dataset"
        }
        if refusal == nil, let extracted = dataset.extractedAt {
            refusal = "the dataset's age is read from field '\(extracted)' row by row"
        }
        if refusal == nil, dialect == .sqlite, let format = dataset.dateFormat, format != DateFormat.iso.pattern,
            let field = dataset.fields.first(where: { $0.type == .date })
        {
            refusal = "field '\(field.name)' is text in \(format) in the source; SQLite can compare only ISO dates"
        }
    }

    /// A string field's cell as the source holds it, before trimming and `null_values`.
    package func rawText(_ field: String) -> String? {
        columns[field].map { dialect.text("src." + SQLDialect.identifier($0)) }
    }

    /// `(query) AS src`, the dataset's rows as every pushed-down statement sees them.
    package var sourceClause: String { "(\(query)) AS src" }

    private func sql(for field: FieldSpec, raw: String) -> String {
        switch (dialect, field.type) {
        case (_, .string):
            let text = dialect.text(raw)
            let trimmed = dialect.trim(text, characters: dialect.cellTrimCharacters)
            let nulls = ([""] + dataset.nullValues.map(CellDecoder.trimmed)).reduce(into: [String]()) {
                if !$0.contains($1) { $0.append($1) }
            }
            let list = nulls.map(SQLDialect.string).joined(separator: ", ")
            return "(CASE WHEN \(trimmed) IN (\(list)) THEN NULL ELSE \(trimmed) END)"
        case (.postgres, .int): return "CAST(\(raw) AS BIGINT)"
        case (.postgres, .number): return "CAST(\(raw) AS DOUBLE PRECISION)"
        case (.postgres, .date): return "CAST(\(raw) AS DATE)"
        default: return raw
        }
    }

    /// SQLite keeps a type per value, so a profile query counts the values the reader would reject.
    /// PostgreSQL's columns are typed, so its types are checked once (`mismatch`) instead.
    package func badValueCondition(_ field: FieldSpec) -> String {
        guard dialect == .sqlite, let column = columns[field.name] else { return "0" }
        let raw = "src." + SQLDialect.identifier(column)
        let good: String
        switch field.type {
        case .string: good = "typeof(\(raw)) = 'text'"
        case .int: good = "typeof(\(raw)) = 'integer'"
        case .number: good = "typeof(\(raw)) IN ('integer', 'real')"
        case .bool: good = "typeof(\(raw)) = 'integer' AND \(raw) IN (0, 1)"
        case .date: good = "typeof(\(raw)) = 'text' AND \(raw) = date(\(raw))"
        }
        return "CASE WHEN \(raw) IS NULL THEN 0 WHEN \(good) THEN 0 ELSE 1 END"
    }

    private static func mismatch(_ field: FieldSpec, _ column: String, _ type: SQLColumnType) -> String? {
        let fits: Bool
        switch field.type {
        case .string: fits = type == .text
        case .int: fits = type == .integer
        case .number: fits = type == .integer || type == .real
        case .date: fits = type == .date || type == .timestamp
        case .bool: fits = type == .bool
        }
        if fits { return nil }
        return
            "field '\(field.name)' is declared \(field.type) but column \"\(column)\" is \(type.rawValue) in the source"
    }

    /// A query ending in `;` cannot be wrapped as a subquery.
    package static func trimmedQuery(_ query: String) -> String {
        var text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") {
            text = String(text.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return text
    }
}
