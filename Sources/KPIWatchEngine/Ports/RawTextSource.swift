/// A source of text records (CSV) that can lend each field's bytes instead of a `String`, so that the reader
/// parses a date or a number straight from the bytes, and only checks a column no rule reads: most cells of a
/// large export then never become a `String` at all.
public protocol RawTextSource: Source {
    /// Streams the same records as `scan(columns:_:)`, in the same order and with the same numbers and
    /// problems, each field lent as `RawTextRow.Field` for the duration of the call to `visit` only.
    func scanRaw(columns: [String], _ visit: (RawTextRow) throws -> Void) throws
}

/// One record of a `RawTextSource`, valid only while `visit` runs: its bytes belong to the source.
public struct RawTextRow {
    public enum Field {
        /// The record has no such field (a short row): the same as `Cell.missing`.
        case missing
        /// The field's UTF-8 bytes as written (quotes removed), not yet trimmed.
        case bytes(UnsafeBufferPointer<UInt8>)
        /// A field the source had to rewrite (`""` escapes), as `scan` would give it.
        case text(String)
    }

    /// As `SourceRow.number`.
    public var number = 0
    /// As `SourceRow.problem`.
    public var problem: String?
    /// One per column asked for, in that order.
    public var fields: [Field]
    /// The `String` the source's `scan` would make of a field's bytes (which may be another encoding than UTF-8).
    public let text: (UnsafeBufferPointer<UInt8>) -> String

    public init(columns: Int, text: @escaping (UnsafeBufferPointer<UInt8>) -> String) {
        fields = Array(repeating: .missing, count: columns)
        self.text = text
    }

    /// The field at `slot` as `scan` would give it.
    public func cell(_ slot: Int) -> Cell {
        switch fields[slot] {
        case .missing: return .missing
        case .bytes(let bytes): return .text(text(bytes))
        case .text(let text): return .text(text)
        }
    }
}
