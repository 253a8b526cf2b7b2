import Foundation
import Testing

@testable import KPIWatch

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
}
