import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchSources

/// Header cells merged across and down, as saved by LibreOffice (`merged_headers.xlsx`):
/// A1:A2 "Case Ref", B1:C1 "Dates" over "Received" and "Issued" in row 2, D1:D2 "Team".
@Suite struct XLSXMergedHeaderTests {
    @Test func aCellMergedAcrossNamesItsFirstColumnAndNumbersTheRest() throws {
        let source = try XLSXFixtures.source("path: merged_headers.xlsx")
        #expect(try source.columnNames() == ["Case Ref", "Dates", "Dates 2", "Team"])
    }

    @Test func aCellMergedDownIntoTheHeaderRowNamesItsColumn() throws {
        let source = try XLSXFixtures.source("path: merged_headers.xlsx\nheader_row: 2")
        #expect(try source.columnNames() == ["Case Ref", "Received", "Issued", "Team"])
        let rows = try XLSXFixtures.rows(source)
        #expect(rows.map(\.number) == [3, 4])
        #expect(rows[0].cells["Case Ref"] == .text("C-101"))
        #expect(rows[0].cells["Issued"] == XLSXFixtures.day("2024-06-01"))
        #expect(rows[1].cells["Received"] == XLSXFixtures.day("2024-02-10"))
        #expect(rows[1].cells["Issued"] == .missing)
        #expect(rows[1].cells["Team"] == .text("South"))
    }

    @Test func blankAndRepeatedHeaderCellsGetNames() {
        let header = XLSXHeader(
            row: 1, cells: [0: .text("Date"), 2: .text(" Date "), 3: .int(2024), 4: .date(Day(iso: "2024-04-01")!)],
            merges: [], anchors: [:])
        #expect(header.names == ["Date", "Column B", "Date 2", "2024", "2024-04-01"])
        #expect(header.columns.map(\.index) == [0, 1, 2, 3, 4])
    }

    @Test func mergesAreFoundAfterTheCellDataWhateverTheirPrefix() {
        let xml = """
            <worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCell ref="Z9:Z10"</t></is></c></row>\
            </sheetData><x:mergeCells count="2"><x:mergeCell ref="A1:C1"/><x:mergeCell  ref = 'D1:D2' />\
            </x:mergeCells><conditionalFormatting sqref="E1:E5"/></worksheet>
            """
        let ranges = XLSXMergedCells.ranges(in: Data(xml.utf8))
        #expect(ranges == [CellRange("A1:C1")!, CellRange("D1:D2")!])
        #expect(XLSXMergedCells.ranges(in: Data("<worksheet><sheetData/></worksheet>".utf8)).isEmpty)
    }
}
