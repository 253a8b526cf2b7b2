import Testing

@testable import KPIWatchEngine
@testable import KPIWatchSources

/// A workbook written by hand (`inline_strings.xlsx`): inline text, every cell type, cells and rows
/// without an `r` reference, a row of blank cells, and gaps.
@Suite struct XLSXInlineStringTests {
    private func rows() throws -> [Int: [String: Cell]] {
        let rows = try XLSXFixtures.rows(XLSXFixtures.source("path: inline_strings.xlsx"))
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.number, $0.cells) })
    }

    @Test func readsInlineStringsAsHeaderAndValues() throws {
        let source = try XLSXFixtures.source("path: inline_strings.xlsx")
        #expect(
            try source.columnNames() == ["Case Ref", "Received", "Flag", "Status", "Note", "Score", "Days", "Time"])
        let rows = try rows()
        #expect(rows[2]?["Case Ref"] == .text("I-1"))
        // Rich text runs join; the phonetic guide is not part of the text.
        #expect(rows[2]?["Note"] == .text("Rich text"))
        // `_x000D_` is how a workbook writes a carriage return.
        #expect(rows[3]?["Note"] == .text("line\rbreak"))
    }

    @Test func readsBooleansErrorsFormulaTextAndNumbers() throws {
        let rows = try rows()
        #expect(rows[2]?["Flag"] == .bool(true))
        #expect(rows[3]?["Flag"] == .bool(false))
        #expect(rows[2]?["Status"] == .text("#N/A"))
        #expect(rows[3]?["Status"] == .text("ok"))
        #expect(rows[2]?["Score"] == .number(7.25))
        #expect(rows[6]?["Score"] == .int(1000))
        // Quoted " days" and an h:mm time are not date formats.
        #expect(rows[2]?["Days"] == .int(12))
        #expect(rows[2]?["Time"] == .number(0.5))
    }

    @Test func cellsWithoutReferencesFollowThePreviousOnes() throws {
        let rows = try rows()
        #expect(rows[4]?["Case Ref"] == .text("I-3"))
        #expect(rows[4]?["Received"] == XLSXFixtures.day("1900-03-01"))
        // `t="d"`: an ISO date written as text.
        #expect(rows[4]?["Flag"] == XLSXFixtures.day("2024-03-05"))
    }

    @Test func blankRowsAreSkippedAndGapsAreMissing() throws {
        let rows = try rows()
        #expect(rows.keys.sorted() == [2, 3, 4, 6])
        #expect(rows[6]?["Flag"] == .missing)
        #expect(rows[6]?["Note"] == .missing)
        #expect(rows[6]?["Time"] == .missing)
    }

    @Test func decodesOOXMLEscapes() {
        #expect(OOXMLText.decode("a_x000D__x000A_b") == "a\r\nb")
        #expect(OOXMLText.decode("_x005F_x000D_") == "_x000D_")
        #expect(OOXMLText.decode("snake_x_case_xZZZZ_") == "snake_x_case_xZZZZ_")
    }

    @Test func parsesCellReferences() {
        #expect(CellReference.parse("A1")! == (0, 1))
        #expect(CellReference.parse("AB12")! == (27, 12))
        #expect(CellReference.parse("$XFD$1048576")! == (16383, 1_048_576))
        #expect(CellReference.parse("C")! == (2, nil))
        #expect(CellReference.parse("XFE1") == nil)
        #expect(CellReference.parse("1A") == nil)
        #expect(CellReference.parse("A0") == nil)
        #expect(CellReference.letters(forColumn: 0) == "A")
        #expect(CellReference.letters(forColumn: 27) == "AB")
        #expect(CellReference.letters(forColumn: 16383) == "XFD")
        #expect(CellRange("C2:A1") == CellRange("A1:C2"))
    }
}
