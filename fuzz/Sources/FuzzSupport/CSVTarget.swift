@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// The CSV reader, differentially: the file is read whole (one chunk) and again in chunks of
/// 1 to 64 bytes, so that every record, quote, CR/LF pair and byte order mark is cut by a chunk
/// boundary somewhere; both readings must give the same rows, row numbers, problems and errors.
/// The header `validate` reads (only the first record's bytes) must be the header the scan uses.
///
/// Input: byte 0 picks the chunk size, byte 1 the delimiter, the rest is the file.
public enum CSVTarget {
    static let delimiters: [UInt8] = [44, 59, 9, 124]

    public static func run(_ input: FuzzInput) {
        guard input.bytes.count >= 2 else { return }
        let chunkSize = 1 + Int(input.bytes[0] % 64)
        let delimiter = delimiters[Int(input.bytes[1]) % delimiters.count]
        let content = input.bytes.dropFirst(2)
        let path = Scratch.write(content, as: "fuzz.csv")
        let source = CSVSource(path: path, origin: "data/fuzz.csv", delimiter: delimiter)

        let whole = read(source, chunkSize: CSVChunks.defaultChunkSize)
        let chunked = read(source, chunkSize: chunkSize)
        if whole != chunked {
            fatalError(
                "chunks of \(chunkSize) bytes read differently from the whole file\nwhole:   \(whole)\nchunked: \(chunked)"
            )
        }

        let pieces = readInPieces(source, pieceSize: chunkSize)
        if whole != pieces {
            fatalError(
                "pieces of \(chunkSize) bytes read differently from the whole file\nwhole:  \(whole)\npieces: \(pieces)"
            )
        }

        // What `validate` checks the columns against must be what `check` reads.
        let alone: [String]?
        do {
            alone = try source.columnNames()
        } catch {
            Oracle.expectDiagnostic(error, from: "the CSV header reader")
            alone = nil
        }
        var parser = CSVParser(bytes: Array(content), delimiter: delimiter, file: "data/fuzz.csv")
        var fields: [String] = []
        var inWhole: [String]? =
            (try? parser.next(into: &fields)) == true
            ? fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } : nil
        // Two columns of the same name are an error of the header, however it is read.
        if let names = inWhole?.filter({ !$0.isEmpty }), Set(names).count != names.count { inWhole = nil }
        if alone != inWhole {
            fatalError(
                "the header read alone (\(alone.map { "\($0)" } ?? "an error")) differs from the header "
                    + "of the whole file (\(inWhole.map { "\($0)" } ?? "an error"))")
        }
        for row in whole.rows { CellSweep.decode(row.cells) }
    }

    /// What a reading gave: every row, and the error that ended it, if any.
    struct Reading: Equatable, CustomStringConvertible {
        struct Row: Equatable {
            var number: Int
            var cells: [Cell]
            var problem: String?
        }
        var rows: [Row] = []
        var error: String?

        var description: String {
            rows.map { "\($0.number): \($0.cells) \($0.problem ?? "")" }.joined(separator: "; ")
                + (error.map { " error: \($0)" } ?? "")
        }
    }

    struct FirstRecordRead: Error {}

    /// `read`'s reading through `CSVSource.pieces`, as `PieceReader` reads it: each piece parsed first on its own, its
    /// first line numbered 1 (as another thread parses it); whenever the piece before ended with a record, that parse
    /// must be the piece's true records, renumbered; otherwise the piece is parsed behind the record left unread.
    static func readInPieces(_ source: CSVSource, pieceSize: Int) -> Reading {
        var reading = Reading()
        do {
            let columns = CellSweep.distinct(
                try source.columnNames().map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            let pieces = try source.pieces(columns: columns, pieceSize: pieceSize)
            var nextRow = pieces.firstRow
            var unread: [UInt8] = []
            while let piece = try pieces.next() {
                func parse(_ bytes: [UInt8], firstRow: Int, into rows: inout [Reading.Row]) throws -> TextPieceEnd {
                    try pieces.parser.parse(bytes, firstRow: firstRow, isLast: piece.isLast) { row in
                        rows.append(
                            .init(number: row.number, cells: columns.indices.map(row.cell), problem: row.problem))
                    }
                }
                var aloneRows: [Reading.Row] = []
                let alone = try? parse(piece.bytes, firstRow: 1, into: &aloneRows)
                let before = reading.rows.count
                // In order, straight into the reading: the rows before an error are read, as `scan` reads them.
                let end = try parse(unread + piece.bytes, firstRow: nextRow, into: &reading.rows)
                let rows = Array(reading.rows[before...])
                if unread.isEmpty, let alone {
                    let offset = nextRow - 1
                    let renumbered = aloneRows.map {
                        Reading.Row(number: $0.number + offset, cells: $0.cells, problem: $0.problem)
                    }
                    if renumbered != rows || alone.nextRow + offset != end.nextRow || alone.unread != end.unread {
                        fatalError(
                            "a piece parsed alone gave other records than parsed in order\nalone: \(renumbered)\nin order: \(rows)"
                        )
                    }
                }
                nextRow = end.nextRow
                unread = end.unread
            }
        } catch {
            Oracle.expectDiagnostic(error, from: "the CSV source read in pieces")
            reading.error = "\(error)"
        }
        return reading
    }

    /// A scan of every column the chunked reading's own header names.
    static func read(_ source: CSVSource, chunkSize: Int) -> Reading {
        var reading = Reading()
        do {
            var names: [String] = []
            do {
                try CSVChunks.forEachRecord(
                    path: source.path, origin: source.origin, delimiter: source.delimiter, chunkSize: chunkSize
                ) { parser in
                    names = (0..<parser.fieldCount).map { parser.field($0) }
                    throw FirstRecordRead()
                }
            } catch is FirstRecordRead {}
            let columns = CellSweep.distinct(names.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            try source.scan(columns: columns, chunkSize: chunkSize) { row in
                reading.rows.append(.init(number: row.number, cells: row.cells, problem: row.problem))
            }
        } catch {
            Oracle.expectDiagnostic(error, from: "the CSV source")
            reading.error = "\(error)"
        }
        return reading
    }
}
