import Foundation
import KPIWatchCore

/// Reading a CSV file's bytes: all of them for a scan, or only as many as hold the header, so that
/// `validate` on a 1 GB export reads a few kilobytes.
package enum CSVFile {
    package static func readAll(path: String, origin: String) throws -> [UInt8] {
        do {
            // Mapped, so the file is in memory once (as the array) rather than twice.
            let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
            return [UInt8](data)
        } catch {
            throw cannotRead(path: path, origin: origin, error)
        }
    }

    /// The bytes from the start of the file up to the end of its first record (the header).
    package static func readHeader(path: String, origin: String, delimiter: UInt8) throws -> [UInt8] {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw cannotRead(path: path, origin: origin, error)
        }
        defer { try? handle.close() }
        var bytes: [UInt8] = []
        var finder = RecordEndFinder(delimiter: delimiter)
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 64 * 1024)
            } catch {
                throw cannotRead(path: path, origin: origin, error)
            }
            guard let chunk, !chunk.isEmpty else { return bytes }
            bytes.append(contentsOf: chunk)
            if let end = finder.firstRecordEnd(in: bytes) { return Array(bytes[..<end]) }
            if bytes.count > maxRecordBytes { throw recordTooLong(origin: origin, row: 1) }
        }
    }

    /// The longest record read (8 MB): a file without line ends, or with an unclosed quote, would otherwise be
    /// held whole in memory and re-scanned with every chunk.
    package static let maxRecordBytes = 8 << 20

    package static func recordTooLong(origin: String, row: Int) -> Diagnostic {
        Diagnostic(
            "row \(row) is longer than \(maxRecordBytes >> 20) MB", place: "\(origin), row \(row)",
            hint: "check for a quote (\") that is opened and never closed, or a file that is not CSV")
    }

    package static func cannotRead(path: String, origin: String, _ error: any Error) -> Diagnostic {
        Diagnostic(
            "cannot read \(path): \(error.localizedDescription)", place: origin,
            hint: "check that the file exists and can be read by this user")
    }
}

/// Reads a file's records in chunks, so that scanning a 1 GB export holds a few megabytes, not the
/// file. A record cut by a chunk's end is read whole with the next chunk; rows keep their numbers.
package enum CSVChunks {
    package static let defaultChunkSize = 4 << 20

    package static func forEachRecord(
        path: String, origin: String, delimiter: UInt8, chunkSize: Int = defaultChunkSize,
        _ body: (inout CSVParser) throws -> Void
    ) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        } catch {
            throw CSVFile.cannotRead(path: path, origin: origin, error)
        }
        defer { try? handle.close() }
        var carry: [UInt8] = []
        var firstRow = 1
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                throw CSVFile.cannotRead(path: path, origin: origin, error)
            }
            let isFinal = chunk.isEmpty
            var bytes = carry
            bytes.append(contentsOf: chunk)
            var parser = CSVParser(
                bytes: bytes, delimiter: delimiter, file: origin, firstRow: firstRow, isFinal: isFinal)
            while try parser.nextRecord() { try body(&parser) }
            if isFinal { return }
            carry = Array(bytes[parser.unreadStart...])
            firstRow = parser.nextRow
            if carry.count > CSVFile.maxRecordBytes { throw CSVFile.recordTooLong(origin: origin, row: firstRow) }
        }
    }
}

/// Finds where the first record ends (a line end outside quotes after some content), resuming
/// where it stopped when more bytes arrive. Quotes count as `CSVParser` counts them: only a quote
/// that starts a field (after spaces) opens a quoted field; one inside an unquoted field, or in
/// the text after a closing quote, is a literal character.
package struct RecordEndFinder {
    package let delimiter: UInt8
    private var index = 0
    private var inQuotes = false
    private var sawContent = false
    private var atFieldStart = true
    /// The byte before was a quote that closed a quoted field; a quote now is the second half of `""`.
    private var justClosed = false

    package init(delimiter: UInt8) {
        self.delimiter = delimiter
    }

    package mutating func firstRecordEnd(in bytes: [UInt8]) -> Int? {
        if index == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            index = 3
        }
        let tab: UInt8 = delimiter == 9 ? 32 : 9
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            let closedBefore = justClosed
            justClosed = false
            if inQuotes {
                if byte == 34 {
                    inQuotes = false
                    justClosed = true
                }
            } else if byte == 34 && (atFieldStart || closedBefore) {
                inQuotes = true
                atFieldStart = false
                sawContent = true
            } else if byte == 10 || byte == 13 {
                if sawContent { return index }
                atFieldStart = true
            } else if byte == delimiter {
                atFieldStart = true
                sawContent = true
            } else if byte == 32 || byte == tab {
                sawContent = true
            } else {
                atFieldStart = false
                sawContent = true
            }
        }
        return nil
    }
}
