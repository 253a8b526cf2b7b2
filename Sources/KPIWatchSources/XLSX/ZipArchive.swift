import Foundation
import KPIWatchCore

/// The parts of a zip archive (an .xlsx), found through its central directory with every offset and
/// size checked against the file. kpiwatch reads zips itself because ZIPFoundation's extract, on
/// Linux, reads on past an entry's compressed bytes until its deflate stream ends, and loops forever
/// at the end of the file when a damaged stream never does (found by fuzz-xlsx).
package struct ZipArchive {
    package struct Entry {
        package var name: String
        package var flags: UInt16
        package var method: UInt16
        package var crc32: UInt32
        package var compressedSize: Int
        package var uncompressedSize: Int
        package var localHeaderOffset: Int
    }

    /// Why an archive or a part cannot be read, for the caller to put after the file's and part's names.
    package struct Damage: Error {
        package var reason: String
        package init(_ reason: String) { self.reason = reason }
    }

    package let bytes: Data
    /// By name; the first of two entries with one name wins.
    package let entries: [String: Entry]

    package init(bytes: Data) throws(Damage) {
        self.bytes = bytes.startIndex == 0 ? bytes : Data(bytes)
        let file = ZipBytes(self.bytes)
        let end = try Self.endOfCentralDirectory(in: file)
        let count = try file.uint16(at: end + 10)
        let size = try file.uint32(at: end + 12)
        let start = try file.uint32(at: end + 16)
        guard count != 0xFFFF, size != 0xFFFF_FFFF, start != 0xFFFF_FFFF else {
            throw Damage("it is a ZIP64 archive (over 4 GB or 65,535 parts), which kpiwatch does not read")
        }
        guard Int(start) + Int(size) <= end else {
            throw Damage("its central directory runs past the end of the file")
        }
        var entries: [String: Entry] = [:]
        var offset = Int(start)
        for _ in 0..<count {
            let entry = try Self.entry(at: &offset, in: file, directoryEnd: Int(start) + Int(size))
            if entries[entry.name] == nil { entries[entry.name] = entry }
        }
        self.entries = entries
    }

    package subscript(name: String) -> Entry? { entries[name] }

    /// The part's bytes, uncompressed and checked against its size and checksum. A part said to be
    /// larger than `limit` is refused before anything is decompressed; one that decompresses to more
    /// than it says it holds is refused as soon as it does.
    package func contents(of entry: Entry, limit: Int) throws(Damage) -> Data {
        guard entry.flags & 1 == 0 else { throw Damage("it is encrypted") }
        guard entry.uncompressedSize <= limit else {
            throw Damage(
                "it is \(entry.uncompressedSize) bytes uncompressed, more than the limit of \(limit) bytes for one part"
            )
        }
        let file = ZipBytes(bytes)
        let header = entry.localHeaderOffset
        guard try file.uint32(at: header) == 0x0403_4B50 else { throw Damage("its local header is missing") }
        let start = header + 30 + Int(try file.uint16(at: header + 26)) + Int(try file.uint16(at: header + 28))
        guard start + entry.compressedSize <= bytes.count else {
            throw Damage("its compressed data runs past the end of the file")
        }
        let compressed = bytes[start..<start + entry.compressedSize]
        let data: Data
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw Damage("it is stored uncompressed, but its two sizes differ")
            }
            data = Data(compressed)
        case 8:
            data = try ZipInflater.inflate(compressed, expectedSize: entry.uncompressedSize)
        default:
            throw Damage(
                "it uses compression method \(entry.method), which kpiwatch does not read (only stored and deflate)")
        }
        guard data.count == entry.uncompressedSize else {
            throw Damage("it holds \(data.count) bytes, but its header says \(entry.uncompressedSize)")
        }
        guard ZipInflater.checksum(data) == entry.crc32 else { throw Damage("it fails its CRC-32 checksum") }
        return data
    }

    /// The end-of-central-directory record: the last one in the file's final 64 KB (it may be followed by a comment).
    private static func endOfCentralDirectory(in file: ZipBytes) throws(Damage) -> Int {
        let last = file.count - 22
        guard last >= 0 else { throw Damage("it is too short to be a zip archive") }
        for offset in stride(from: last, through: max(0, last - 0xFFFF), by: -1) {
            if try file.uint32(at: offset) == 0x0605_4B50 { return offset }
        }
        throw Damage("it has no end-of-central-directory record")
    }

    private static func entry(at offset: inout Int, in file: ZipBytes, directoryEnd: Int) throws(Damage) -> Entry {
        guard offset + 46 <= directoryEnd, try file.uint32(at: offset) == 0x0201_4B50 else {
            throw Damage("its central directory is damaged")
        }
        let nameLength = Int(try file.uint16(at: offset + 28))
        let extraLength = Int(try file.uint16(at: offset + 30))
        let commentLength = Int(try file.uint16(at: offset + 32))
        let next = offset + 46 + nameLength + extraLength + commentLength
        guard next <= directoryEnd else { throw Damage("its central directory is damaged") }
        // A ZIP64 size (0xFFFFFFFF here, the real one in an extra field) is over every limit: refused as too large.
        let entry = Entry(
            name: String(decoding: file.bytes[offset + 46..<offset + 46 + nameLength], as: UTF8.self),
            flags: try file.uint16(at: offset + 8), method: try file.uint16(at: offset + 10),
            crc32: try file.uint32(at: offset + 16), compressedSize: Int(try file.uint32(at: offset + 20)),
            uncompressedSize: Int(try file.uint32(at: offset + 24)),
            localHeaderOffset: Int(try file.uint32(at: offset + 42)))
        offset = next
        return entry
    }
}

/// Little-endian integers at offsets of a file's bytes, every read checked against its end.
private struct ZipBytes {
    let bytes: Data
    var count: Int { bytes.count }

    init(_ bytes: Data) { self.bytes = bytes }

    func uint16(at offset: Int) throws(ZipArchive.Damage) -> UInt16 { UInt16(try integer(at: offset, width: 2)) }
    func uint32(at offset: Int) throws(ZipArchive.Damage) -> UInt32 { UInt32(try integer(at: offset, width: 4)) }

    private func integer(at offset: Int, width: Int) throws(ZipArchive.Damage) -> UInt64 {
        guard offset >= 0, offset <= bytes.count - width else {
            throw ZipArchive.Damage("it ends where a zip header should continue")
        }
        var value: UInt64 = 0
        for index in (0..<width).reversed() {
            value = value << 8 | UInt64(bytes[bytes.startIndex + offset + index])
        }
        return value
    }
}
