import Foundation
import Testing

@testable import KPIWatchEngine
@testable import KPIWatchSources

/// Reading the case export that LibreOffice saved (`Fixtures/xlsx/cases.xlsx`): a title row above
/// the header, UK date cells, repeated text, blanks, an empty row and a second sheet.
@Suite struct XLSXSourceTests {
    @Test func readsColumnNamesFromTheHeaderRowTrimmed() throws {
        let source = try XLSXFixtures.source("path: cases.xlsx\nheader_row: 2")
        #expect(
            try source.columnNames() == [
                "Case Ref", "Team", "Request Received", "Final EHCP Issued", "Exception Reason", "Weeks",
            ])
        #expect(source.origin == "cases.xlsx [Cases]")
    }

    @Test func streamsTypedCellsWithExcelRowNumbers() throws {
        let source = try XLSXFixtures.source("path: cases.xlsx\nheader_row: 2")
        let rows = try XLSXFixtures.rows(source)
        // Row 5 is empty in the sheet: skipped, and rows 6 and 7 keep their numbers.
        #expect(rows.map(\.number) == [3, 4, 6, 7])
        let first = rows[0].cells
        #expect(first["Case Ref"] == .text("C-001"))
        #expect(first["Team"] == .text("North"))
        #expect(first["Request Received"] == XLSXFixtures.day("2024-01-08"))
        #expect(first["Final EHCP Issued"] == XLSXFixtures.day("2024-05-20"))
        #expect(first["Exception Reason"] == .missing)
        #expect(first["Weeks"] == .int(19))
        let second = rows[1].cells
        #expect(second["Final EHCP Issued"] == .missing)
        #expect(second["Exception Reason"] == .text("Parental request"))
        #expect(second["Weeks"] == .missing)
        #expect(rows[2].cells["Weeks"] == .number(21.5))
        #expect(rows[3].cells["Request Received"] == XLSXFixtures.day("2023-12-29"))
        // "North" and "South" are each stored once in the shared string table.
        #expect(rows.map { $0.cells["Team"] } == [.text("North"), .text("South"), .text("North"), .text("South")])
    }

    @Test func projectsOnlyTheColumnsAskedForInTheirOrder() throws {
        let source = try XLSXFixtures.source("path: cases.xlsx\nheader_row: 2")
        var rows: [[Cell]] = []
        try source.scan(columns: ["Weeks", "Case Ref"]) { rows.append($0.cells) }
        #expect(rows.first == [.int(19), .text("C-001")])
        #expect(rows.count == 4)
    }

    @Test func picksTheSecondSheetByNameOrIndex() throws {
        for sheet in ["Teams", "teams", "2"] {
            let source = try XLSXFixtures.source("path: cases.xlsx\nsheet: \(sheet)")
            #expect(source.origin == "cases.xlsx [Teams]")
            #expect(try source.columnNames() == ["Team", "Manager"])
            let rows = try XLSXFixtures.rows(source)
            #expect(rows.map(\.number) == [2, 3])
            #expect(rows[1].cells["Manager"] == .text("B. Jones"))
        }
        let first = try XLSXFixtures.source("path: cases.xlsx\nsheet: 1\nheader_row: 2")
        #expect(first.origin == "cases.xlsx [Cases]")
    }

    @Test func headerRowOneMakesTheMergedTitleTheColumnNames() throws {
        let source = try XLSXFixtures.source("path: cases.xlsx")
        let title = "EHCP cases: extract of 20/11/2026"
        #expect(try source.columnNames() == [title] + (2...6).map { "\(title) \($0)" })
        // The real header row is then the first data row.
        let rows = try XLSXFixtures.rows(source)
        #expect(rows.first?.number == 2)
        #expect(rows.first?.cells[title] == .text("Case Ref"))
    }

    @Test func extractedAtIsTheFileModificationDate() throws {
        let source = try XLSXFixtures.source("path: cases.xlsx")
        let attributes = try FileManager.default.attributesOfItem(atPath: XLSXFixtures.folder + "/cases.xlsx")
        #expect(source.extractedAt() == attributes[.modificationDate] as? Date)
    }

    @Test func aSheetWithNoDataRowsStillChecksTheColumnsAskedFor() throws {
        let source = try XLSXSource(filePath: XLSXFixtures.folder + "/cases.xlsx", sheet: .named("Cases"), headerRow: 7)
        #expect(try source.columnNames().first == "C-004")
        let error = XLSXFixtures.diagnostic { try source.scan(columns: ["Case Ref"]) { _ in } }
        #expect(error?.message.contains("column 'Case Ref' not found") == true)
    }
}
