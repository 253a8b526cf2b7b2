import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// Inputs the fuzz targets (fuzz/README.md) found, each reduced to what it takes to go wrong.
@Suite struct FuzzFindingTests {
    /// fuzz-csv: `validate` reads only the header's bytes, and that reader took any quote for the
    /// start of a quoted field. A quote inside an unquoted field (`size"in`) or after a closing
    /// quote's text made it cut the header inside the real quoted field that followed, so
    /// `validate` said the quote was never closed while `check` read the file.
    @Test func theHeaderReadAloneCountsQuotesAsTheScanDoes() throws {
        let headers = [
            "id,size\"in,\"two\nlines\"\n1,2,3\n": ["id", "size\"in", "two\nlines"],
            "\"a\"b\"c,\"x\ny\"\n1,2\n": ["ab\"c", "x\ny"],
            " \"q\" ,\"\"\"\"\n1,2\n": ["q", "\""],
        ]
        for (text, names) in headers {
            let source = try CSVFixtures.source(text)
            #expect(try source.columnNames() == names, "\(text.debugDescription)")
            var rows: [SourceRow] = []
            try source.scan(columns: names) { rows.append($0) }
            #expect(rows.count == 1, "\(text.debugDescription)")
        }
    }

    /// The input fuzz-csv found (a Windows-1252 byte, then a quote in mid-field), as it was.
    @Test func theFoundHeaderIsReadAloneAsInTheScan() throws {
        let project = try CSVFixtures.project(bytes: ["data/a.csv": [0xBF, 0x22, 0x2C, 0x22, 0x0D, 0x22]])
        let source = try CSVSource(dataset: CSVFixtures.dataset("path: data/a.csv"), project: project)
        #expect(try source.columnNames() == ["¿\"", ""])
    }

    /// fuzz-xlsx: an element name with a byte that is not UTF-8 (`<\u{FE}os>` in a part of the
    /// workbook) made Foundation's XMLParser trap, killing the process; it is now a located error.
    @Test func anXMLPartThatIsNotUTF8IsAnErrorNotACrash() throws {
        final class Elements: XMLEventHandler {
            var names: [String] = []
            func start(_ name: String, _ attributes: [String: String]) throws { names.append(name) }
            func end(_ name: String) throws {}
        }
        let part = "data/a.xlsx: xl/sharedStrings.xml"
        let error = #expect(throws: Diagnostic.self) {
            try XMLEvents.parse(Data([0x3C, 0xFE, 0x6F, 0x73, 0x3E]), with: Elements(), describe: part)
        }
        #expect(error?.message == "\(part) is not UTF-8 XML")
        let valid = Elements()
        try XMLEvents.parse(Data("<sst><si/></sst>".utf8), with: valid, describe: part)
        #expect(valid.names == ["sst", "si"])
    }
}
