/// A `RawTextSource` whose records can be cut into pieces and parsed on several threads (a large CSV file): the
/// reader reads the pieces one after another on one thread, has each parsed wherever a thread is free, and takes the
/// records in file order, so that rows, row numbers, problems and errors are those of `scanRaw`.
///
/// A piece is cut after a line end, which may lie inside a quoted field; a piece is then parsed from a place that is
/// not the start of a record. The reader finds out from the piece before (which leaves the unfinished record
/// unread) and parses the piece again, behind that record.
public protocol SplittableTextSource: RawTextSource {
    /// The size of the input in bytes, if known: small inputs are read in one go.
    func byteCount() -> Int?

    /// Reads the header (checked against `columns` as `scanRaw` checks it) and returns the data records as pieces
    /// of about `pieceSize` bytes.
    func pieces(columns: [String], pieceSize: Int) throws -> any TextPieces
}

/// The data records of a `SplittableTextSource`, in pieces read in file order, on one thread.
public protocol TextPieces: AnyObject {
    /// The row number of the first line after the header.
    var firstRow: Int { get }
    /// What parses a piece, on any thread.
    var parser: any TextPieceParser { get }
    /// The next piece, nil after the last one.
    func next() throws -> TextPiece?
}

/// Bytes of a `SplittableTextSource`: whole lines, except in the last piece.
public struct TextPiece: Sendable {
    public var bytes: [UInt8]
    /// The piece that ends the input: a record open at its end is an error, not the start of the next piece.
    public var isLast: Bool

    public init(bytes: [UInt8], isLast: Bool) {
        self.bytes = bytes
        self.isLast = isLast
    }
}

public protocol TextPieceParser: Sendable {
    /// Streams the records of `bytes` (a piece, or a record the piece before left unread followed by a piece) to
    /// `visit` as `scanRaw` would, the first line numbered `firstRow`. Unless `isLast`, a record that reaches the
    /// end of `bytes` is not read: its bytes come back in `TextPieceEnd.unread`.
    func parse(_ bytes: [UInt8], firstRow: Int, isLast: Bool, _ visit: (RawTextRow) throws -> Void) throws
        -> TextPieceEnd
}

/// Where parsing a piece stopped.
public struct TextPieceEnd: Sendable {
    /// The row number the next line has.
    public var nextRow: Int
    /// The bytes of a record the piece's end cut (empty when the piece ended with a record).
    public var unread: [UInt8]

    public init(nextRow: Int, unread: [UInt8]) {
        self.nextRow = nextRow
        self.unread = unread
    }
}
