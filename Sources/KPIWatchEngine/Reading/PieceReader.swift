import Foundation
import KPIWatchCore

/// How a dataset pass reads a large text source in pieces: on the threads of the run (`WorkSharing`), pieces of
/// `pieceSize` bytes, at most `inFlight` read ahead of the one being visited, from sources of at least
/// `minimumBytes` (smaller ones are read in one go on the pass's own thread: for them, handing pieces around costs
/// more than it saves). The results do not depend on any of these.
package struct PieceReading: Sendable {
    package var sharing: WorkSharing
    package var pieceSize: Int
    package var minimumBytes: Int
    package var inFlight: Int

    package static let defaultPieceSize = 1 << 20
    package static let defaultMinimumBytes = 4 << 20

    package init(
        sharing: WorkSharing, pieceSize: Int = defaultPieceSize, minimumBytes: Int = defaultMinimumBytes,
        inFlight: Int
    ) {
        self.sharing = sharing
        self.pieceSize = pieceSize
        self.minimumBytes = minimumBytes
        self.inFlight = max(1, inFlight)
    }
}

/// Reads a `SplittableTextSource` in pieces: each piece is parsed and decoded on whichever thread of the run is free,
/// its first line numbered 1, as if it started a record; the pieces are then taken in order on the calling thread,
/// their rows renumbered from the row counts of the pieces before, their errors appended in order, their rows visited.
///
/// A piece whose guess was wrong (the piece before left a record unread, cut inside quotes) is parsed again on the
/// calling thread, behind that record; so is a piece whose parsing threw, so that the error names its true row. The
/// rows, numbers, errors and summary are therefore those of reading the source in one go, however many threads there
/// are and whichever finishes first.
struct PieceReader {
    let source: any SplittableTextSource
    let rows: RowDecoding
    let reading: PieceReading

    /// One piece's rows, decoded.
    struct Decoded: Sendable {
        var rows: [[Value]] = []
        var numbers: [Int] = []
        var summary = DatasetReadSummary()
        /// Nil when parsing threw.
        var end: TextPieceEnd?
    }

    func read(columns: [String], _ visit: (inout [Value], Int) throws -> Void) throws -> DatasetReadSummary {
        let pieces = try source.pieces(columns: columns, pieceSize: reading.pieceSize)
        let parser = pieces.parser
        let rows = self.rows
        let work = OrderedWork<Decoded>(sharing: reading.sharing)
        let spares = SpareRows()
        defer { work.discardQueued() }
        var waiting: [Int: TextPiece] = [:]
        var submitted = 0
        var taken = 0
        var reachedEnd = false
        var nextRow = pieces.firstRow
        var unread: [UInt8] = []
        var summary = DatasetReadSummary()
        while true {
            while !reachedEnd && submitted - taken < reading.inFlight {
                guard let piece = try pieces.next() else {
                    reachedEnd = true
                    break
                }
                waiting[submitted] = piece
                work.submit(submitted) {
                    (try? Self.decode(piece.bytes, isLast: piece.isLast, parser, rows, spares: spares))
                        ?? Decoded()
                }
                submitted += 1
            }
            guard taken < submitted else { return summary }
            var decoded = work.take(taken)
            let piece = waiting.removeValue(forKey: taken)!
            taken += 1
            var offset = nextRow - 1
            if !unread.isEmpty || decoded.end == nil {
                decoded = try Self.decode(
                    unread + piece.bytes, firstRow: nextRow, isLast: piece.isLast, parser, rows, spares: nil)
                offset = 0
            }
            let end = decoded.end!
            nextRow = end.nextRow + offset
            unread = end.unread
            summary.rowsRead += decoded.summary.rowsRead
            summary.rowsSkipped += decoded.summary.rowsSkipped
            summary.errorCount += decoded.summary.errorCount
            for var error in decoded.summary.errors where summary.errors.count < rows.limit {
                error.row += offset
                summary.errors.append(error)
            }
            for index in decoded.rows.indices { try visit(&decoded.rows[index], decoded.numbers[index] + offset) }
            spares.give(&decoded.rows)
        }
    }

    /// Decodes a piece's rows, each into a row of `spares` while there are any (rows visited before, whose fields not
    /// decoded are null) rather than a new one.
    private static func decode(
        _ bytes: [UInt8], firstRow: Int = 1, isLast: Bool, _ parser: any TextPieceParser, _ rows: RowDecoding,
        spares pool: SpareRows?
    ) throws -> Decoded {
        // Taken here, so that this thread holds the only reference to them and writes over them without a copy.
        var spares = pool?.take() ?? []
        var decoded = Decoded()
        var values = spares.popLast() ?? [Value](repeating: .null, count: rows.fieldCount)
        decoded.end = try parser.parse(bytes, firstRow: firstRow, isLast: isLast) { row in
            decoded.summary.rowsRead += 1
            guard rows.decode(row, into: &values, summary: &decoded.summary) else {
                decoded.summary.rowsSkipped += 1
                return
            }
            decoded.numbers.append(row.number)
            decoded.rows.append(spares.popLast() ?? [Value](repeating: .null, count: rows.fieldCount))
            swap(&values, &decoded.rows[decoded.rows.count - 1])
        }
        return decoded
    }
}

/// Rows a piece's visits are done with, for the next pieces to decode into, so that a row is not allocated per
/// record. `@unchecked Sendable`: `rows` is read and written only with `lock` held.
final class SpareRows: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [[[Value]]] = []

    /// Takes `piece`'s rows, leaving it empty: the pool then holds the only reference to them.
    func give(_ piece: inout [[Value]]) {
        lock.withLock {
            rows.append(piece)
            piece = []
        }
    }

    func take() -> [[Value]] {
        lock.withLock { rows.popLast() ?? [] }
    }
}
