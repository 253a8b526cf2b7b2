import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchSources

/// What a user is told when the path, the sheet or the header row is wrong.
@Suite struct XLSXErrorTests {
    @Test func anUnknownSheetListsTheSheetsAtTheSheetOption() throws {
        let error = XLSXFixtures.diagnostic { _ = try XLSXFixtures.source("path: cases.xlsx\nsheet: Teems") }
        #expect(error?.message == "cases.xlsx has no sheet named 'Teems'")
        #expect(error?.hint == "did you mean 'Teams'? sheets: 1 'Cases', 2 'Teams'")
        #expect(error?.location == SourceLocation(file: "kpiwatch.yaml", line: 2, column: 8))

        let far = XLSXFixtures.diagnostic { _ = try XLSXFixtures.source("path: cases.xlsx\nsheet: Assessments") }
        #expect(far?.hint == "sheets: 1 'Cases', 2 'Teams'")
    }

    @Test func aSheetIndexOutOfRangeSaysHowManySheetsThereAre() {
        let error = XLSXFixtures.diagnostic { _ = try XLSXFixtures.source("path: cases.xlsx\nsheet: 3") }
        #expect(error?.message == "cases.xlsx has 2 sheets, so there is no sheet 3")
        #expect(error?.hint?.contains("1 'Cases', 2 'Teams'") == true)
    }

    @Test func aFileThatIsNotAZipIsNotAWorkbook() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kpiwatch-\(UUID()).xlsx").path
        try Data("Case Ref,Team\nC-1,North\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = XLSXFixtures.diagnostic { _ = try XLSXSource(filePath: path, displayPath: "data/cases.xlsx") }
        #expect(error?.message.hasPrefix("data/cases.xlsx is not an Excel workbook") == true)
        #expect(error?.hint?.contains("source: csv") == true)
    }

    @Test func anOpenDocumentSpreadsheetIsNamedAsSuch() {
        let error = XLSXFixtures.diagnostic { _ = try XLSXFixtures.source("path: not_a_workbook.ods") }
        #expect(error?.message == "not_a_workbook.ods is an OpenDocument spreadsheet (.ods), not an Excel workbook")
        #expect(error?.location == SourceLocation(file: "kpiwatch.yaml", line: 1, column: 7))
    }

    @Test func anOldBinaryWorkbookIsNamedAsSuch() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kpiwatch-\(UUID()).xls").path
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
            .write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = XLSXFixtures.diagnostic { _ = try XLSXSource(filePath: path, displayPath: "cases.xls") }
        #expect(error?.message.contains("Excel 97–2003 (.xls)") == true)
    }

    @Test func aMissingFileIsReportedAtThePathOption() {
        let error = XLSXFixtures.diagnostic { _ = try XLSXFixtures.source("path: data/nowhere.xlsx") }
        #expect(error?.message == "file not found: data/nowhere.xlsx")
        #expect(error?.location == SourceLocation(file: "kpiwatch.yaml", line: 1, column: 7))
    }

    @Test func aDatasetWithoutAPathIsAnError() {
        let error = XLSXFixtures.diagnostic { _ = try XLSXFixtures.source("sheet: Cases") }
        #expect(error?.message == "dataset 'cases' reads an Excel workbook but has no 'path'")
    }

    @Test func aHeaderRowThatIsNotARowNumberIsAnError() {
        for value in ["0", "two"] {
            let error = XLSXFixtures.diagnostic {
                _ = try XLSXFixtures.source("path: cases.xlsx\nheader_row: \(value)")
            }
            #expect(error?.message == "header_row must be a row number, not '\(value)'")
            #expect(error?.location == SourceLocation(file: "kpiwatch.yaml", line: 2, column: 13))
        }
    }

    @Test func anEmptyHeaderRowSaysWhereTheValuesStart() throws {
        let source = try XLSXFixtures.source("path: cases.xlsx\nheader_row: 5")
        let error = XLSXFixtures.diagnostic { _ = try source.columnNames() }
        #expect(error?.message == "cases.xlsx [Cases] has no column names in row 5")
        #expect(
            error?.hint == "set header_row to the row that holds the column names; the first row with values is row 1")
        #expect(error?.location == SourceLocation(file: "kpiwatch.yaml", line: 2, column: 13))
    }

    @Test func anUnknownColumnSuggestsTheNearestOne() throws {
        let source = try XLSXFixtures.source("path: cases.xlsx\nheader_row: 2")
        let error = XLSXFixtures.diagnostic { try source.scan(columns: ["Case Reference"]) { _ in } }
        #expect(error?.message == "column 'Case Reference' not found in cases.xlsx [Cases]")
        #expect(error?.hint?.isEmpty == false)
    }
}
