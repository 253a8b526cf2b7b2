import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// A pass decodes only the fields its rules read (`read(decoding:)`); every other field is still checked, so a bad
/// value in a column no rule reads is still a bad value at its file, row and column, and the fields that are
/// decoded get exactly the values a full read gives them — from a CSV file (bytes lent, no `String`) and from a
/// source of ready-made cells alike.
@Suite struct DatasetReaderDecodingTests {
    static let fields = DatasetReaderTests.fields + [CSVFixtures.field("child", "Child Name")]

    func csvReader() throws -> DatasetReader {
        try DatasetReaderTests().reader(fields: Self.fields)
    }

    /// The same dataset served as cells, as a source that cannot lend bytes serves it.
    func memoryReader() throws -> DatasetReader {
        let csv = try csvReader()
        var rows: [SourceRow] = []
        let columns = try csv.resolveColumns()
        try csv.source.scan(columns: columns) { rows.append($0) }
        return DatasetReader(
            dataset: csv.dataset, source: CellRows(origin: csv.source.origin, columns: columns, rows: rows))
    }

    struct CellRows: Source {
        let origin: String
        let columns: [String]
        let rows: [SourceRow]
        func columnNames() throws -> [String] { columns }
        func scan(columns wanted: [String], _ visit: (SourceRow) throws -> Void) throws {
            for row in rows {
                try visit(SourceRow(number: row.number, cells: wanted.map { row.cells[columns.firstIndex(of: $0)!] }))
            }
        }
        func extractedAt() -> Date? { nil }
    }

    func read(_ reader: DatasetReader, decoding: Set<Int>?) throws -> (DatasetReadSummary, [(Int, [Value])]) {
        var rows: [(Int, [Value])] = []
        let summary = try reader.read(decoding: decoding) { rows.append(($1, $0)) }
        return (summary, rows)
    }

    @Test(arguments: [false, true])
    func everySubsetOfFieldsGetsTheFullReadsValuesAndEveryBadValueIsStillReported(fromCSV: Bool) throws {
        let reader = fromCSV ? try csvReader() : try memoryReader()
        let (full, fullRows) = try read(reader, decoding: nil)
        #expect(full.errorCount == 4)
        #expect(fullRows.map(\.0) == [2, 5])
        for mask in 0..<(1 << Self.fields.count) {
            let decoding = Set(Self.fields.indices.filter { mask & (1 << $0) != 0 })
            let (summary, rows) = try read(reader, decoding: decoding)
            #expect(summary.errors.map(\.description) == full.errors.map(\.description), "\(decoding)")
            #expect(summary.rowsRead == full.rowsRead && summary.rowsSkipped == full.rowsSkipped)
            #expect(rows.map(\.0) == fullRows.map(\.0))
            for (row, fullRow) in zip(rows, fullRows) {
                for index in Self.fields.indices {
                    #expect(row.1[index] == (decoding.contains(index) ? fullRow.1[index] : .null), "\(decoding)")
                }
            }
        }
    }
}
