import Foundation
import KPIWatchCore
import KPIWatchEngine

extension CSVSource: SplittableTextSource {
    public func byteCount() -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    }

    public func pieces(columns: [String], pieceSize: Int) throws -> any TextPieces {
        try CSVPieces(source: self, columns: columns, pieceSize: pieceSize)
    }
}

/// A CSV file's data records in pieces of about `pieceSize` bytes, each cut after its last line feed; the header is
/// read first, as `scanRaw` reads it.
final class CSVPieces: TextPieces {
    let firstRow: Int
    let parser: any TextPieceParser
    private let source: CSVSource
    private let handle: FileHandle
    private let pieceSize: Int
    /// Read from the file, not yet handed out.
    private var buffer: [UInt8] = []
    private var atEndOfFile = false
    private var finished = false

    init(source: CSVSource, columns: [String], pieceSize: Int) throws {
        self.source = source
        self.pieceSize = max(1, pieceSize)
        do {
            handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: source.path))
        } catch {
            throw CSVFile.cannotRead(path: source.path, origin: source.origin, error)
        }
        // The header is the first record, read whole however long it is (up to the longest record read).
        var buffer: [UInt8] = []
        var atEndOfFile = false
        while true {
            atEndOfFile = try !Self.read(handle, upTo: self.pieceSize, into: &buffer, source: source)
            var parser = CSVParser(
                bytes: buffer, delimiter: source.delimiter, file: source.origin, firstRow: 1, isFinal: atEndOfFile)
            if try parser.nextRecord() {
                let header = try source.headerNames(parser)
                firstRow = parser.nextRow
                buffer.removeFirst(parser.unreadStart)
                self.parser = CSVPieceParser(
                    source: source, indices: try source.columnIndexes(columns, in: header), headerCount: header.count)
                break
            } else if atEndOfFile {
                throw source.emptyFile()
            } else if buffer.count > CSVFile.maxRecordBytes {
                throw CSVFile.recordTooLong(origin: source.origin, row: parser.nextRow)
            }
        }
        self.buffer = buffer
        self.atEndOfFile = atEndOfFile
    }

    deinit { try? handle.close() }

    func next() throws -> TextPiece? {
        guard !finished else { return nil }
        while !atEndOfFile && buffer.count < pieceSize { try readMore() }
        if atEndOfFile {
            finished = true
            defer { buffer = [] }
            return TextPiece(bytes: buffer, isLast: true)
        }
        // A piece without a line feed (a record longer than a piece) goes whole: its parser leaves it unread.
        guard let lineFeed = buffer.lastIndex(of: 10) else {
            defer { buffer = [] }
            return TextPiece(bytes: buffer, isLast: false)
        }
        let piece = Array(buffer[...lineFeed])
        buffer.removeFirst(lineFeed + 1)
        return TextPiece(bytes: piece, isLast: false)
    }

    private func readMore() throws {
        atEndOfFile = try !Self.read(handle, upTo: pieceSize, into: &buffer, source: source)
    }

    /// Appends up to `count` bytes of the file to `buffer`; false at the end of the file.
    private static func read(_ handle: FileHandle, upTo count: Int, into buffer: inout [UInt8], source: CSVSource)
        throws -> Bool
    {
        let chunk: Data?
        do {
            chunk = try handle.read(upToCount: count)
        } catch {
            throw CSVFile.cannotRead(path: source.path, origin: source.origin, error)
        }
        guard let chunk, !chunk.isEmpty else { return false }
        buffer.append(contentsOf: chunk)
        return true
    }
}

/// Parses a piece of a CSV file's data records as `CSVSource.scanRaw` parses them: blank records skipped, the
/// field-count problem, each field's bytes lent.
struct CSVPieceParser: TextPieceParser {
    let source: CSVSource
    /// The header positions of the columns asked for.
    let indices: [Int]
    let headerCount: Int

    func parse(_ bytes: [UInt8], firstRow: Int, isLast: Bool, _ visit: (RawTextRow) throws -> Void) throws
        -> TextPieceEnd
    {
        var parser = CSVParser(
            bytes: bytes, delimiter: source.delimiter, file: source.origin, firstRow: firstRow, isFinal: isLast,
            atFileStart: false)
        var row = RawTextRow(columns: indices.count, text: CSVParser.decodeText)
        while try parser.nextRecord() {
            if CSVSource.isBlank(parser) { continue }
            let problem = source.fieldCountProblem(parser, headerCount: headerCount)
            try CSVSource.visitRaw(parser, indices: indices, problem: problem, row: &row, visit)
        }
        let unread = Array(bytes[parser.unreadStart...])
        if unread.count > CSVFile.maxRecordBytes {
            throw CSVFile.recordTooLong(origin: source.origin, row: parser.nextRow)
        }
        return TextPieceEnd(nextRow: parser.nextRow, unread: unread)
    }
}
