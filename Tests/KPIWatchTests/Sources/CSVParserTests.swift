import Testing

@testable import KPIWatchCore
@testable import KPIWatchSources

@Suite struct CSVParserTests {
    /// Every record of `text` with its row number.
    func records(_ text: String, delimiter: UInt8 = 44) throws -> [(row: Int, fields: [String])] {
        try records(Array(text.utf8), delimiter: delimiter)
    }

    func records(_ bytes: [UInt8], delimiter: UInt8 = 44) throws -> [(row: Int, fields: [String])] {
        var parser = CSVParser(bytes: bytes, delimiter: delimiter, file: "data/test.csv")
        var fields: [String] = []
        var result: [(row: Int, fields: [String])] = []
        while try parser.next(into: &fields) { result.append((parser.rowNumber, fields)) }
        return result
    }

    @Test func readsQuotedFieldsWithDelimitersAndLineEnds() throws {
        let rows = try records("id,note\n1,\"North, East\"\n2,\"line one\nline two\"\n3,plain\n")
        #expect(
            rows.map(\.fields) == [
                ["id", "note"], ["1", "North, East"], ["2", "line one\nline two"], ["3", "plain"],
            ])
        // The quoted line end does not start a row: record 3 is row 4, as a spreadsheet shows it.
        #expect(rows.map(\.row) == [1, 2, 3, 4])
    }

    @Test func unescapesDoubledQuotes() throws {
        let rows = try records("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n")
        #expect(rows[1].fields == ["say \"hi\"", "\""])
    }

    @Test func skipsByteOrderMark() throws {
        let rows = try records([0xEF, 0xBB, 0xBF] + Array("Case Ref,Team\nC1,North".utf8))
        #expect(rows.map(\.fields) == [["Case Ref", "Team"], ["C1", "North"]])
    }

    @Test func acceptsCRLFAndLoneCRLineEnds() throws {
        let crlf = try records("a,b\r\n1,2\r\n3,4\r\n")
        #expect(crlf.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        let cr = try records("a,b\r1,2\r3,4")
        #expect(cr.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(cr.map(\.row) == [1, 2, 3])
    }

    @Test func trimsSpacesAroundFieldsButNotInsideQuotes() throws {
        let rows = try records("a , b\n  x  ,  \" y \"  \n")
        #expect(rows.map(\.fields) == [["a", "b"], ["x", " y "]])
    }

    @Test func keepsTextAfterAClosingQuote() throws {
        let rows = try records("a,b\n\"abc\" def,\"x\"\"\"\n")
        #expect(rows[1].fields == ["abc def", "x\""])
    }

    @Test func skipsBlankLinesButCountsThemAsRows() throws {
        let rows = try records("a,b\n\n1,2\r\n\r\n\r\n3,4\n\n")
        #expect(rows.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(rows.map(\.row) == [1, 3, 6])
    }

    @Test func twoRowFileWithBOMAndQuotedNewline() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Case Ref,Note\r\nC1,\"first\r\nsecond\"\r\n".utf8)
        let rows = try records(bytes)
        #expect(rows.count == 2)
        #expect(rows[0].fields == ["Case Ref", "Note"])
        #expect(rows[1].fields == ["C1", "first\r\nsecond"])
        #expect(rows[1].row == 2)
    }

    @Test func readsSemicolonAndTabDelimiters() throws {
        let semicolon = try records("a;b;c\n1,5;\"x;y\";3\n", delimiter: UInt8(ascii: ";"))
        #expect(semicolon[1].fields == ["1,5", "x;y", "3"])
        let tab = try records("a\tb\tc\n1\t\t3\n", delimiter: 9)
        #expect(tab[1].fields == ["1", "", "3"])
    }

    /// RULES.md's `delimiter` is the character between fields; a space is one like any other, so two spaces hold an
    /// empty field (trimming took every space for padding and merged the fields around it). Tabs are still trimmed.
    @Test func aSpaceDelimiterKeepsEmptyFields() throws {
        let rows = try records("a b c\n1  3\n\"x y\" 2 3\n\t1\t 2 3\n 1 2\n", delimiter: 32)
        #expect(
            rows.map(\.fields) == [
                ["a", "b", "c"], ["1", "", "3"], ["x y", "2", "3"], ["1", "2", "3"], ["", "1", "2"],
            ])
    }

    @Test func keepsEmptyAndTrailingEmptyFields() throws {
        let rows = try records("a,b,c\n,,\n1,\n")
        #expect(rows[1].fields == ["", "", ""])
        #expect(rows[2].fields == ["1", ""])
    }

    @Test func reportsAnUnterminatedQuoteWithFileAndRow() throws {
        var parser = CSVParser(bytes: Array("a,b\n1,2\n3,\"open\n4,5\n".utf8), file: "data/test.csv")
        var fields: [String] = []
        #expect(try parser.next(into: &fields))
        #expect(try parser.next(into: &fields))
        let error = #expect(throws: Diagnostic.self) { try parser.next(into: &fields) }
        #expect(error?.place == "data/test.csv, row 3")
        #expect(error?.message.contains("row 3") == true)
    }

    @Test func readsFieldsOnDemandWithoutMaterialisingOthers() throws {
        var parser = CSVParser(bytes: Array("a,b,c\n1,\"x\"\"y\",3\n".utf8))
        #expect(try parser.nextRecord())
        #expect(try parser.nextRecord())
        #expect(parser.fieldCount == 3)
        #expect(parser.field(1) == "x\"y")
        #expect(parser.field(2) == "3")
        #expect(try !parser.nextRecord())
    }

    @Test func readsWindows1252TextThatIsNotUTF8() throws {
        // "£5" and "café" as an old Windows export writes them.
        let rows = try records([0xA3, 0x35, 0x2C, 0x63, 0x61, 0x66, 0xE9])
        #expect(rows[0].fields == ["£5", "café"])
    }

    @Test func readsUTF8Text() throws {
        let rows = try records("Zoë,Łódź\n")
        #expect(rows[0].fields == ["Zoë", "Łódź"])
    }
}
