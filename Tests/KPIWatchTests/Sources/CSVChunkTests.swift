import Foundation
import Testing

@testable import KPIWatchSources

/// The CSV source reads files in chunks; a record cut anywhere by a chunk's end must read as if the
/// file were read whole: same cells, same row numbers, same errors.
@Suite struct CSVChunkTests {
    static let tricky =
        "\u{FEFF}id,note,when\r\n"
        + "1,\"two\r\nlines\",01/02/2024\r\n"
        + "\r\n"
        + "2,\"say \"\"hi\"\"\",  02/02/2024  \r"
        + "3,plain,03/02/2024\n"
        + "\n\n"
        + "4,\"a,b\",04/02/2024,extra\n"
        + ",,\n"
        + "5,last,05/02/2024"

    func rows(_ text: String, chunkSize: Int) throws -> [String] {
        let folder = TemporaryDirectory()
        let path = folder.write("data.csv", text)
        var out: [String] = []
        try CSVSource(path: path, origin: "data.csv").scan(columns: ["id", "note", "when"], chunkSize: chunkSize) {
            out.append("\($0.number): \($0.cells) \($0.problem ?? "")")
        }
        return out
    }

    @Test func everyChunkSizeReadsTheSameRowsAsTheWholeFile() throws {
        let whole = try rows(Self.tricky, chunkSize: 1 << 20)
        #expect(whole.count == 5)
        #expect(whole.map { $0.prefix(while: { $0 != ":" }) } == ["2", "4", "5", "8", "10"])
        for size in 1...60 {
            #expect(try rows(Self.tricky, chunkSize: size) == whole, "chunk size \(size)")
        }
    }

    @Test func anUnterminatedQuoteIsReportedAtItsRowWhateverTheChunks() throws {
        let text = "id,note,when\n1,ok,x\n2,\"never closed,x\n3,y,z\n"
        for size in [1, 5, 13, 1 << 20] {
            #expect {
                _ = try rows(text, chunkSize: size)
            } throws: { error in
                "\(error)".contains("data.csv, row 3")
            }
        }
    }

    @Test func anEmptyFileIsReportedAsEmpty() throws {
        #expect {
            _ = try rows("", chunkSize: 4)
        } throws: { error in
            "\(error)".contains("data.csv is empty")
        }
    }
}
