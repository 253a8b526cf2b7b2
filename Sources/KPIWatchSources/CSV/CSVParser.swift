import KPIWatchCore

/// A byte-level CSV reader: RFC 4180 plus what real exports do.
///
/// - A UTF-8 byte order mark at the start is skipped.
/// - CRLF, LF and a lone CR all end a line.
/// - Quoted fields may hold `""` (a quote), the delimiter and line ends.
/// - Spaces (and tabs, unless the tab is the delimiter) around an unquoted field are trimmed;
///   around a quoted field they are trimmed outside the quotes only.
/// - Text after a closing quote (`"abc" def`) is kept, as a spreadsheet keeps it, not dropped.
/// - A blank line (nothing but its line end) is skipped, not a record.
///
/// Row numbers are what a user finds when they open the file in a spreadsheet: the first line is
/// row 1 (the header), and every record or skipped blank line after it is one row more. A line end
/// inside quotes does not start a new row, because the spreadsheet shows that record as one row.
///
/// Speed comes from scanning the bytes once and recording where each field starts and ends; a
/// `String` is only made for a field somebody asks for (`field(_:)`), decoded in one go, so a
/// projection to 5 of 40 columns pays for 5.
public struct CSVParser {
    /// Named in error messages.
    public let file: String
    public let delimiter: UInt8
    private let bytes: [UInt8]
    private var position: Int
    /// The row number the next line will have.
    public private(set) var nextRow = 1
    /// False for a chunk of a larger file: a record that reaches the end of the bytes may go on in
    /// the next chunk, so it is not read; `unreadStart` says where it begins.
    private let isFinal: Bool
    /// Where the bytes not yet read as records start (the incomplete last record of a chunk).
    public private(set) var unreadStart = 0
    /// The row number of the record last read by `nextRecord()`.
    public private(set) var rowNumber = 0
    /// How many fields the record last read has.
    public private(set) var fieldCount = 0
    private var bounds: [FieldBounds] = []

    private struct FieldBounds {
        var start: Int
        var end: Int
        /// True when the field holds `""` escapes or text after its closing quote: `start..<end`
        /// then spans the raw text from the opening quote and needs unquoting.
        var needsUnquoting: Bool
    }

    public init(bytes: [UInt8], delimiter: UInt8 = 44, file: String = "") {
        self.init(bytes: bytes, delimiter: delimiter, file: file, firstRow: 1, isFinal: true)
    }

    /// A parser over one chunk of a file whose first line is row `firstRow`; only the chunk at the file's start
    /// (by default the one of row 1) may start with a byte order mark. A piece read on its own thread is numbered
    /// from row 1 but is not the file's start (`atFileStart: false`).
    package init(bytes: [UInt8], delimiter: UInt8, file: String, firstRow: Int, isFinal: Bool, atFileStart: Bool? = nil)
    {
        self.bytes = bytes
        self.delimiter = delimiter
        self.file = file
        self.isFinal = isFinal
        self.nextRow = firstRow
        let hasBOM =
            (atFileStart ?? (firstRow == 1)) && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB
            && bytes[2] == 0xBF
        self.position = hasBOM ? 3 : 0
        self.unreadStart = position
    }

    /// Reads the next record into `fields` (all of its fields); false at the end of the input.
    public mutating func next(into fields: inout [String]) throws -> Bool {
        guard try nextRecord() else { return false }
        fields.removeAll(keepingCapacity: true)
        for index in 0..<fieldCount { fields.append(field(index)) }
        return true
    }

    /// Advances to the next record without making any strings; read its fields with `field(_:)`.
    public mutating func nextRecord() throws -> Bool {
        let bytes = self.bytes
        return try bytes.withUnsafeBufferPointer { try scanRecord($0) }
    }

    /// The field at `index` (less than `fieldCount`) of the record last read.
    public func field(_ index: Int) -> String {
        let field = bounds[index]
        return bytes.withUnsafeBufferPointer { buffer in
            let raw = UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
            if field.needsUnquoting { return Self.decodeText(unquote(raw)) }
            return Self.decodeText(raw)
        }
    }

    /// Calls `body` with the bytes of the whole input, which `fieldBytes(_:in:)` cuts fields from.
    package func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer(body)
    }

    /// The bytes of the field at `index` of the record last read, cut from `buffer` (`withBytes`'s); nil for a
    /// field that needs unquoting (`""` escapes, text after the closing quote), which only `field(_:)` decodes.
    package func fieldBytes(_ index: Int, in buffer: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let field = bounds[index]
        if field.needsUnquoting { return nil }
        return UnsafeBufferPointer(rebasing: buffer[field.start..<field.end])
    }

    /// True when the field at `index` is empty (after trimming), without making a string.
    public func fieldIsEmpty(_ index: Int) -> Bool {
        bounds[index].start == bounds[index].end
    }

    private mutating func scanRecord(_ p: UnsafeBufferPointer<UInt8>) throws -> Bool {
        let n = p.count
        let delimiter = self.delimiter
        let lineFeed: UInt8 = 10
        let carriageReturn: UInt8 = 13
        let quote: UInt8 = 34
        // Spaces and tabs around a field are trimmed, but never the delimiter: a tab- or space-separated file keeps
        // its empty fields (with `delimiter: " "`, two spaces are an empty field between two others).
        let space: UInt8 = delimiter == 32 ? 9 : 32
        let tab: UInt8 = delimiter == 9 ? 32 : 9
        var i = position

        while i < n {
            let byte = p[i]
            if byte == lineFeed {
                i += 1
            } else if byte == carriageReturn {
                // A CR ending a chunk may be the first half of a CRLF: leave it for the next chunk.
                if !isFinal && i + 1 == n { break }
                i += 1
                if i < n && p[i] == lineFeed { i += 1 }
            } else {
                break
            }
            nextRow += 1
        }
        position = i
        unreadStart = i
        guard i < n, isFinal || p[i] != carriageReturn else { return false }
        let recordStart = i
        let recordRow = nextRow
        rowNumber = nextRow
        nextRow += 1
        fieldCount = 0
        // Not the whole record is in this chunk: read it again, whole, with the next one.
        func incomplete() -> Bool {
            position = recordStart
            unreadStart = recordStart
            nextRow = recordRow
            return false
        }

        while true {
            var start = i
            while start < n && (p[start] == space || p[start] == tab) { start += 1 }
            if start < n && p[start] == quote {
                var j = start + 1
                var escaped = false
                while true {
                    guard j < n else {
                        if !isFinal { return incomplete() }
                        throw unterminatedQuote()
                    }
                    if p[j] == quote {
                        if j + 1 < n && p[j + 1] == quote {
                            escaped = true
                            j += 2
                            continue
                        }
                        break
                    }
                    j += 1
                }
                let close = j
                var k = close + 1
                var tailEnd = k
                while k < n {
                    let byte = p[k]
                    if byte == delimiter || byte == lineFeed || byte == carriageReturn { break }
                    k += 1
                    if byte != space && byte != tab { tailEnd = k }
                }
                if escaped || tailEnd > close + 1 {
                    append(FieldBounds(start: start, end: tailEnd, needsUnquoting: true))
                } else {
                    append(FieldBounds(start: start + 1, end: close, needsUnquoting: false))
                }
                i = k
            } else {
                var j = start
                while j < n {
                    let byte = p[j]
                    if byte == delimiter || byte == lineFeed || byte == carriageReturn { break }
                    j += 1
                }
                var end = j
                while end > start && (p[end - 1] == space || p[end - 1] == tab) { end -= 1 }
                append(FieldBounds(start: start, end: end, needsUnquoting: false))
                i = j
            }

            guard i < n else {
                if !isFinal { return incomplete() }
                position = n
                unreadStart = n
                return true
            }
            let byte = p[i]
            i += 1
            if byte == delimiter { continue }
            if byte == carriageReturn {
                if i < n && p[i] == lineFeed {
                    i += 1
                } else if i == n && !isFinal {
                    return incomplete()
                }
            }
            position = i
            unreadStart = i
            return true
        }
    }

    private mutating func append(_ field: FieldBounds) {
        if fieldCount < bounds.count {
            bounds[fieldCount] = field
        } else {
            bounds.append(field)
        }
        fieldCount += 1
    }

    private func unterminatedQuote() -> Diagnostic {
        Diagnostic(
            "a quoted field that starts in row \(rowNumber) is never closed",
            place: file.isEmpty ? "row \(rowNumber)" : "\(file), row \(rowNumber)",
            hint: "end the field with a closing \" (a quote inside a quoted field is written \"\")")
    }

    /// The slow path for a field with `""` escapes or text after its closing quote.
    private func unquote(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(raw.count)
        var index = 1  // past the opening quote
        while index < raw.count {
            let byte = raw[index]
            index += 1
            if byte == 34 {
                if index < raw.count && raw[index] == 34 {
                    result.append(34)
                    index += 1
                    continue
                }
                // Closed: what follows is kept as written, as a spreadsheet does.
                result.append(contentsOf: raw[index...])
                break
            }
            result.append(byte)
        }
        return result
    }

    private static func decodeText(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { decodeText($0) }
    }

    /// A field's text: UTF-8, or Windows-1252 when the bytes are not valid UTF-8.
    package static func decodeText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Most cells are ASCII, and `String(decoding:)` is three times faster than
        // `String(validating:)`; only text with other bytes needs to be checked for valid UTF-8.
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        if high < 0x80 { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return Windows1252.decode(bytes)
    }
}
