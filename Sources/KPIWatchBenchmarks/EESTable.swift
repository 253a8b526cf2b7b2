import Foundation
import KPIWatchCore
import KPIWatchSources

/// A published statistics CSV (DfE's explore-education-statistics layout, or ONS's) read by column NAME:
/// DfE reorders and adds columns between releases, so a position would silently read the wrong figure.
public struct EESTable: Sendable {
    /// The name the figures' sources and notes give the file: its path within the data folder.
    public let file: String
    public let rows: [EESRow]

    /// Reads `columns` of every row whose `filters` columns hold the given text (compared without case).
    ///
    /// - Throws: `Diagnostic` when the file cannot be read or parsed, or a column is missing (naming the
    ///   nearest column that exists).
    public static func read(
        path: String, label: String? = nil, columns: [String], where filters: [String: String] = [:]
    ) throws -> EESTable {
        let bytes = try CSVFile.readAll(path: path, origin: path)
        var parser = CSVParser(bytes: bytes, file: path)
        var header: [String] = []
        guard try parser.next(into: &header) else {
            throw Diagnostic(
                "\(path) is empty", place: path, hint: "expected a header row naming the columns, then data rows")
        }
        let wanted = Array(Set(columns).union(filters.keys)).sorted()
        var position: [String: Int] = [:]
        for column in wanted {
            position[column] = try index(of: column, in: header, file: path)
        }
        let tests = filters.map { (index: position[$0.key]!, text: $0.value.lowercased()) }
        var rows: [EESRow] = []
        records: while try parser.nextRecord() {
            for test in tests {
                guard test.index < parser.fieldCount, parser.field(test.index).lowercased() == test.text else {
                    continue records
                }
            }
            var values: [String: String] = [:]
            for column in columns {
                let index = position[column]!
                values[column] = index < parser.fieldCount ? parser.field(index) : ""
            }
            rows.append(EESRow(file: label ?? path, number: parser.rowNumber, values: values))
        }
        return EESTable(file: label ?? path, rows: rows)
    }

    /// Exact name first; otherwise the same name in another case, as DfE spells `PC_…` and `pc_…` both ways.
    private static func index(of column: String, in header: [String], file: String) throws -> Int {
        if let exact = header.firstIndex(of: column) { return exact }
        if let loose = header.firstIndex(where: { $0.lowercased() == column.lowercased() }) { return loose }
        throw Diagnostic(
            "\(file) has no column '\(column)'", place: file,
            hint: suggestion(for: column, in: header, noun: "columns"))
    }
}

/// One row of an `EESTable`, holding the columns that were asked for.
public struct EESRow: Sendable {
    public let file: String
    /// The row number a spreadsheet shows (the header is row 1).
    public let number: Int
    package let values: [String: String]

    public subscript(column: String) -> String { values[column] ?? "" }

    /// The cell as a number, or nil where DfE publishes `x` (not available), `z` (not applicable),
    /// `c` (confidential), `low` or nothing.
    public func number(_ column: String) -> Double? {
        OfficialNumber.parse(self[column])
    }

    /// Where a figure came from, for an error or a note: `dfe-2025/requests.csv, row 14`.
    public var place: String { "\(file), row \(number)" }
}
