import Foundation
import KPIWatchCore

/// A test's inline rows as a source: each value is handed on as text under its field's column, exactly as a
/// CSV export would hold it, so the dataset's own reader types and checks it (its `date_format`, `null_values`
/// and types) and a rule test exercises the same reading as a live run.
package enum InlineSource {
    /// `origin` names the test file and dataset, for messages; a bad value's row number is the line it was
    /// written on.
    package static func make(rows: [InlineRow], dataset: DatasetConfig, origin: String) -> MemorySource {
        var columns: [String] = []
        for field in dataset.fields where !columns.contains(CellDecoder.trimmed(field.column)) {
            columns.append(CellDecoder.trimmed(field.column))
        }
        let sourceRows = rows.map { row in
            var cells = [Cell](repeating: .missing, count: columns.count)
            for field in dataset.fields {
                guard let written = row.values[field.name], let text = written else { continue }
                if let index = columns.firstIndex(of: CellDecoder.trimmed(field.column)) { cells[index] = .text(text) }
            }
            return SourceRow(number: row.line, cells: cells)
        }
        return MemorySource(origin: origin, columns: columns, rows: sourceRows)
    }
}
