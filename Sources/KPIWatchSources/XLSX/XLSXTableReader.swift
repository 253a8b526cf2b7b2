import Foundation
import KPIWatchCore
import KPIWatchEngine

/// Reads one sheet as a table: the header row gives the column names, the rows below it the data.
/// Rows above the header row (titles, notes) are passed over.
package struct XLSXTableReader {
    package var workbook: XLSXWorkbook
    package var sheet: XLSXWorkbook.Sheet
    /// 1-based, as Excel numbers rows.
    package var headerRow: Int
    /// Where `header_row:` was written, for an empty header.
    package var headerRowLocation: SourceLocation?

    /// `data/cases.xlsx [Cases]`
    package var describe: String { "\(workbook.displayPath) [\(sheet.name)]" }

    /// Reads no further than the header.
    package func readHeader() throws -> XLSXHeader {
        try read(stopAfterHeader: true) { _, _ in }
    }

    /// Hands on every row below the header that has a value, and returns the header.
    @discardableResult
    package func read(_ visit: (XLSXHeader, XLSXRow) throws -> Void) throws -> XLSXHeader {
        try read(stopAfterHeader: false, visit)
    }

    private func read(stopAfterHeader: Bool, _ visit: (XLSXHeader, XLSXRow) throws -> Void) throws -> XLSXHeader {
        guard let data = try workbook.read(sheet.part) else {
            throw Diagnostic(
                "\(workbook.displayPath): the part \(sheet.part) of sheet '\(sheet.name)' is missing",
                place: describe,
                hint: "the workbook may be damaged; open it in Excel or LibreOffice and save it again as .xlsx")
        }
        let merges = XLSXMergedCells.ranges(in: data).filter { $0.contains(row: headerRow) }
        let anchorPositions = Set(
            merges.filter { $0.top < headerRow }.map { CellPosition(row: $0.top, column: $0.left) })
        let decoder = XLSXCellDecoder(
            sharedStrings: try workbook.sharedStrings(), styles: try workbook.styles(),
            dateSystem: workbook.dateSystem)

        var anchors: [CellPosition: Cell] = [:]
        var headerCells: [Int: Cell] = [:]
        var header: XLSXHeader?
        var firstRowWithValues: Int?

        func makeHeader() throws -> XLSXHeader {
            let made = XLSXHeader(row: headerRow, cells: headerCells, merges: merges, anchors: anchors)
            guard !made.columns.isEmpty else { throw emptyHeader(firstRowWithValues: firstRowWithValues) }
            return made
        }

        try XLSXSheetReader.read(data, decoder: decoder, describe: describe) { row in
            if firstRowWithValues == nil, !row.cells.isEmpty { firstRowWithValues = row.number }
            if row.number < headerRow {
                for (column, cell) in row.cells
                where anchorPositions.contains(CellPosition(row: row.number, column: column)) {
                    anchors[CellPosition(row: row.number, column: column)] = cell
                }
            } else if row.number == headerRow {
                for (column, cell) in row.cells { headerCells[column] = cell }
                let made = XLSXHeader(row: headerRow, cells: headerCells, merges: merges, anchors: anchors)
                // An empty header is reported once a later row shows where the values are.
                guard !made.columns.isEmpty else { return }
                header = made
                if stopAfterHeader { throw XMLStopReading() }
            } else if !row.cells.isEmpty {
                let current = try header ?? makeHeader()
                header = current
                if stopAfterHeader { throw XMLStopReading() }
                try visit(current, row)
            }
        }
        return try header ?? makeHeader()
    }

    private func emptyHeader(firstRowWithValues: Int?) -> Diagnostic {
        var hint = "set header_row to the row that holds the column names"
        if let firstRowWithValues, firstRowWithValues != headerRow {
            hint += "; the first row with values is row \(firstRowWithValues)"
        } else if firstRowWithValues == nil {
            hint = "the sheet has no values; is it the right sheet?"
        }
        return Diagnostic(
            "\(describe) has no column names in row \(headerRow)", at: headerRowLocation, place: describe, hint: hint)
    }
}
