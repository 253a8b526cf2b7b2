import KPIWatchCore

/// A dataset's `date_format`, compiled once and applied to every cell byte by byte (no
/// `DateFormatter`: it is slow, locale-dependent and lenient in ways users cannot see).
///
/// Tokens: `d` (day, 1 or 2 digits), `dd` (day, 2 digits), `M` (month, 1 or 2 digits), `MM`
/// (month, 2 digits), `MMM` and `MMMM` (an English month name, abbreviated or full, in any case:
/// `Jan`, `Sept`, `January`), `yy` (2-digit year), `yyyy` (4-digit year). Every other character is
/// a literal separator that must appear as written. A time after the date (`12/01/2023 09:30`,
/// `2023-01-12T09:30:00Z`) is accepted and ignored: exports often carry a midnight time that means
/// nothing, and every deadline is counted in whole days.
public struct DateFormat: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let parts: [Part]

    public static let validTokens = ["d", "dd", "M", "MM", "MMM", "MMMM", "yy", "yyyy"]

    /// `yyyy-MM-dd`, accepted for every dataset besides its own `date_format`.
    public static let iso = DateFormat(
        pattern: "yyyy-MM-dd",
        parts: [.year4, .literal(45), .month(exact: true), .literal(45), .day(exact: true)])

    private enum Part: Hashable, Sendable {
        case day(exact: Bool)
        case month(exact: Bool)
        case monthName
        case year2
        case year4
        case literal(UInt8)
    }

    private init(pattern: String, parts: [Part]) {
        self.pattern = pattern
        self.parts = parts
    }

    /// Compiles `pattern`; an unknown token, or a pattern without exactly one day, month and year,
    /// is a `Diagnostic` at `location`.
    public init(pattern: String, at location: SourceLocation? = nil) throws {
        var parts: [Part] = []
        var counts = (day: 0, month: 0, year: 0)
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard DateFormat.isASCIILetter(byte) else {
                parts.append(.literal(byte))
                index += 1
                continue
            }
            var end = index
            while end < bytes.count && bytes[end] == byte { end += 1 }
            let token = String(decoding: bytes[index..<end], as: UTF8.self)
            switch token {
            case "d", "dd":
                parts.append(.day(exact: token == "dd"))
                counts.day += 1
            case "M", "MM":
                parts.append(.month(exact: token == "MM"))
                counts.month += 1
            case "MMM", "MMMM":
                parts.append(.monthName)
                counts.month += 1
            case "yy":
                parts.append(.year2)
                counts.year += 1
            case "yyyy":
                parts.append(.year4)
                counts.year += 1
            default:
                throw Diagnostic(
                    "unknown token \"\(token)\" in date_format \"\(pattern)\"", at: location,
                    hint: "valid tokens are " + DateFormat.validTokens.joined(separator: ", ")
                        + "; any other character is a literal separator, and a time after the date is ignored"
                        + " without being in the format")
            }
            index = end
        }
        for (name, count) in [("day", counts.day), ("month", counts.month), ("year", counts.year)] where count != 1 {
            throw Diagnostic(
                "date_format \"\(pattern)\" has \(count == 0 ? "no" : "more than one") \(name)", at: location,
                hint: "a date format names the day, the month and the year once each, e.g. dd/MM/yyyy")
        }
        self.init(pattern: pattern, parts: parts)
    }

    public var description: String { pattern }

    public func parse(_ text: some StringProtocol) -> Day? {
        var text = String(text)
        return text.withUTF8 { parse($0) }
    }

    /// The date at the start of `bytes`, which may be followed only by a time of day.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? {
        var index = 0
        var day = 0
        var month = 0
        var year = 0
        for part in parts {
            switch part {
            case .literal(let byte):
                guard index < bytes.count, bytes[index] == byte else { return nil }
                index += 1
            case .day(let exact):
                guard let value = digits(bytes, &index, min: exact ? 2 : 1, max: 2) else { return nil }
                day = value
            case .month(let exact):
                guard let value = digits(bytes, &index, min: exact ? 2 : 1, max: 2) else { return nil }
                month = value
            case .monthName:
                guard let value = MonthNames.match(bytes, &index) else { return nil }
                month = value
            case .year2:
                guard let value = digits(bytes, &index, min: 2, max: 2) else { return nil }
                // Two-digit years pivot at 70: 00–69 are 2000–2069, 70–99 are 1970–1999, so a
                // child's date of birth (yy = 98) and a 2023 request (yy = 23) both come out right.
                year = value < 70 ? 2000 + value : 1900 + value
            case .year4:
                guard let value = digits(bytes, &index, min: 4, max: 4) else { return nil }
                year = value
            }
        }
        guard index == bytes.count || TimeSuffix.isValid(bytes, from: index) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    private func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, min: Int, max: Int) -> Int? {
        var value = 0
        var count = 0
        while count < max, index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
            value = value * 10 + Int(bytes[index] - 48)
            index += 1
            count += 1
        }
        return count >= min ? value : nil
    }

    package static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }
}

/// English month names, matched case-insensitively, longest first (`September` before `Sept`
/// before `Sep`).
private enum MonthNames {
    static let names: [(bytes: [UInt8], month: Int)] = {
        let full = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december",
        ]
        var names = full.enumerated().map { (Array($0.element.utf8), $0.offset + 1) }
        names.append((Array("sept".utf8), 9))
        names += full.enumerated().map { (Array($0.element.utf8.prefix(3)), $0.offset + 1) }
        return names
    }()

    static func match(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Int? {
        for (name, month) in names where index + name.count <= bytes.count {
            var matches = true
            for offset in 0..<name.count where bytes[index + offset] | 0x20 != name[offset] {
                matches = false
                break
            }
            // "Mar" must not match the start of "Marchx": a name ends where the letters end.
            if matches, index + name.count == bytes.count || !DateFormat.isASCIILetter(bytes[index + name.count]) {
                index += name.count
                return month
            }
        }
        return nil
    }
}

/// A time of day after a date: ` 09:30`, ` 9:30:00`, `T09:30:00.000Z`, ` 09:30 AM`, `+01:00`.
private enum TimeSuffix {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var index = start
        func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 48 && $0 <= 57 } ?? false }
        func skipSpaces() { while peek() == 32 { index += 1 } }
        func digits(_ min: Int, _ max: Int) -> Bool {
            var count = 0
            while count < max, isDigit(peek()) {
                index += 1
                count += 1
            }
            return count >= min
        }

        guard peek() == 32 || peek() == UInt8(ascii: "T") else { return false }
        index += 1
        skipSpaces()
        guard digits(1, 2), peek() == 58 else { return false }
        index += 1
        guard digits(2, 2) else { return false }
        if peek() == 58 {
            index += 1
            guard digits(2, 2) else { return false }
            if peek() == 46 || peek() == 44 {
                index += 1
                guard digits(1, 9) else { return false }
            }
        }
        skipSpaces()
        if let byte = peek(), byte | 0x20 == UInt8(ascii: "a") || byte | 0x20 == UInt8(ascii: "p") {
            index += 1
            guard let m = peek(), m | 0x20 == UInt8(ascii: "m") else { return false }
            index += 1
            skipSpaces()
        }
        if peek() == UInt8(ascii: "Z") {
            index += 1
        } else if peek() == 43 || peek() == 45 {
            index += 1
            guard digits(2, 2) else { return false }
            if peek() == 58 { index += 1 }
            if isDigit(peek()) && !digits(2, 2) { return false }
        }
        skipSpaces()
        return index == bytes.count
    }
}
