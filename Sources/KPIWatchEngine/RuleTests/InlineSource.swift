import Foundation
import KPIWatchCore

/// A test's inline rows as a source: each value is handed on as text under its field's column, exactly as a
/// CSV export would hold it, so the dataset's own reader types and checks it (its `date_format`, `null_values`
/// and types) and a rule test exercises the same reading as a live run.
package struct InlineSource: Source {
    /// The test file and dataset, for messages; a bad value's row number is the line it was written on.
    package let origin: String
    package let columns: [String]
    package let rows: [SourceRow]

    package init(rows: [InlineRow], dataset: DatasetConfig, origin: String) {
        var columns: [String] = []
        for field in dataset.fields where !columns.contains(CellDecoder.trimmed(field.column)) {
            columns.append(CellDecoder.trimmed(field.column))
        }
        self.origin = origin
        self.columns = columns
        self.rows = rows.map { row in
            var cells = [Cell](repeating: .missing, count: columns.count)
            for field in dataset.fields {
                guard let written = row.values[field.name], let text = written else { continue }
                if let index = columns.firstIndex(of: CellDecoder.trimmed(field.column)) { cells[index] = .text(text) }
            }
            return SourceRow(number: row.line, cells: cells)
        }
    }

    package func columnNames() throws -> [String] { columns }

    package func scan(columns wanted: [String], _ visit: (SourceRow) throws -> Void) throws {
        let indexes = wanted.map { columns.firstIndex(of: $0) }
        for row in rows {
            try visit(SourceRow(number: row.number, cells: indexes.map { $0.map { row.cells[$0] } ?? .missing }))
        }
    }

    /// Written with the test, so never too old for `max_age`.
    package func extractedAt() -> Date? { nil }
}
