import Foundation
import Testing

@testable import KPIWatchEngine
@testable import KPIWatchSources

/// `scanRaw` lends each field's bytes instead of a `String`; read back as cells, its records must be exactly
/// `scan`'s: same cells, row numbers and problems, whatever the chunks, for quoted fields, `""` escapes, short and
/// long rows, and text that is not UTF-8.
@Suite struct CSVRawScanTests {
    static let tricky: [UInt8] =
        Array(CSVChunkTests.tricky.utf8) + Array("\n6,caf".utf8) + [0xE9] + Array(",\u{A0}06/02/2024\n".utf8)
        + Array("7,\"x\"y, 07/02/2024 \n8,short\n".utf8) + [0x39, 0x2C, 0xA0, 0x2C, 0xA0] + Array("09/02/2024\n".utf8)

    static let columns = ["when", "id", "note"]

    func rows(_ path: String, chunkSize: Int, raw: Bool) throws -> [String] {
        let source = CSVSource(path: path, origin: "data.csv")
        var out: [String] = []
        if raw {
            try source.scanRaw(columns: Self.columns, chunkSize: chunkSize) { row in
                out.append("\(row.number): \(Self.columns.indices.map(row.cell)) \(row.problem ?? "")")
            }
        } else {
            try source.scan(columns: Self.columns, chunkSize: chunkSize) {
                out.append("\($0.number): \($0.cells) \($0.problem ?? "")")
            }
        }
        return out
    }

    @Test func rawRecordsReadBackAsTheSameCellsAsScan() throws {
        let folder = TemporaryDirectory()
        let path = (folder.path as NSString).appendingPathComponent("data.csv")
        try Data(Self.tricky).write(to: URL(fileURLWithPath: path))
        let scanned = try rows(path, chunkSize: 1 << 20, raw: false)
        #expect(scanned.count == 9)
        #expect(scanned.contains { $0.contains("café") })
        for size in [1, 2, 3, 7, 16, 31, 1 << 20] {
            #expect(try rows(path, chunkSize: size, raw: true) == scanned, "chunk size \(size)")
        }
    }
}
