import KPIWatchCore

/// Why a cell is not a value of its field's type, e.g. `"31/02/2023" is not a date in dd/MM/yyyy`.
public struct CellDecodeFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The cell as written (trimmed).
    public var text: String
    /// What is wrong with it, completing a sentence whose subject is the value.
    public var problem: String

    public init(text: String, problem: String) {
        self.text = text
        self.problem = problem
    }

    /// `"31/02/2023" is not a date in dd/MM/yyyy (or yyyy-MM-dd)`.
    public var reason: String { "\"\(Self.shortened(text))\" \(problem)" }

    /// The reason without the value, for `personal: true` fields, whose values never reach a log.
    public var redactedReason: String { "the value (withheld: personal field) \(problem)" }

    public var description: String { reason }

    private static func shortened(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(57)) + "…"
    }
}

/// Turns a source's cell into a value of a field's declared type. Shared by every source:
/// text cells (CSV) are parsed; typed cells (Excel, SQL, JSON) are converted.
///
/// A cell is null when it is missing, empty after trimming, or equal after trimming to one of
/// the dataset's `null_values`. An empty cell is null even when `null_values` leaves `""` out:
/// a blank holds no value to keep, and making it an error would turn every optional date
/// column into a wall of errors.
public struct CellDecoder: Sendable {
    public let dateFormat: DateFormat?
    private let nullValues: [[UInt8]]
    private let dateProblem: String

    public init(dateFormat: DateFormat? = nil, nullValues: [String] = [""]) {
        self.dateFormat = dateFormat
        self.nullValues = nullValues.map { Array(Self.trimmed($0).utf8) }.filter { !$0.isEmpty }
        if let dateFormat, dateFormat.pattern != DateFormat.iso.pattern {
            dateProblem = "is not a date in \(dateFormat.pattern) (or \(DateFormat.iso.pattern))"
        } else {
            dateProblem = "is not a date in \(DateFormat.iso.pattern)"
        }
    }

    /// The decoder for a dataset's `date_format` and `null_values`; a bad `date_format` is a
    /// `Diagnostic` at that key.
    public init(dataset: DatasetConfig) throws {
        let format = try dataset.dateFormat.map {
            try DateFormat(pattern: $0, at: dataset.optionLocation("date_format"))
        }
        self.init(dateFormat: format, nullValues: dataset.nullValues)
    }

    public func decode(_ cell: Cell, as type: FieldType) throws(CellDecodeFailure) -> Value {
        try result(cell, as: type).get()
    }

    public func result(_ cell: Cell, as type: FieldType) -> Result<Value, CellDecodeFailure> {
        switch cell {
        case .missing: return .success(.null)
        case .text(let text):
            var contiguous = text
            return contiguous.withUTF8 { decode(text: text, bytes: $0, as: type) }
        case .int(let value): return convert(int: value, as: type)
        case .number(let value): return convert(number: value, as: type)
        case .bool(let value): return convert(bool: value, as: type)
        case .date(let value): return convert(date: value, as: type)
        }
    }

    // MARK: Text cells

    /// A text cell's value of a type other than `string`, parsed from its UTF-8 bytes without making a `String`;
    /// nil when the bytes are not a value of `type` — then decode the cell as text, which says why (and reads
    /// text in another encoding as its source does). Whenever it gives a value, it is the one `result` gives.
    package func nonTextValue(_ bytes: UnsafeBufferPointer<UInt8>, as type: FieldType) -> Value? {
        guard type != .string, case .success(let value) = decode(text: "", bytes: bytes, as: type) else { return nil }
        return value
    }

    private func decode(text: String, bytes all: UnsafeBufferPointer<UInt8>, as type: FieldType)
        -> Result<Value, CellDecodeFailure>
    {
        let bytes = Self.trim(all)
        if bytes.isEmpty || isNullValue(bytes) { return .success(.null) }
        func failure(_ problem: String) -> Result<Value, CellDecodeFailure> {
            .failure(CellDecodeFailure(text: String(decoding: bytes, as: UTF8.self), problem: problem))
        }
        switch type {
        case .string:
            return .success(.string(bytes.count == all.count ? text : String(decoding: bytes, as: UTF8.self)))
        case .int:
            if let value = NumberText.int(bytes) { return .success(.int(value)) }
            return failure("is not a whole number")
        case .number:
            if let value = NumberText.double(bytes) { return .success(.number(value)) }
            return failure("is not a number")
        case .bool:
            if let value = Self.bool(bytes) { return .success(.bool(value)) }
            return failure("is not true or false (write true/false, yes/no, y/n or 1/0)")
        case .date:
            if let day = dateFormat?.parse(bytes) ?? DateFormat.iso.parse(bytes) { return .success(.date(day)) }
            guard let serial = NumberText.serial(bytes) else { return failure(dateProblem) }
            switch ExcelSerialDate.day(fromSerial: serial) {
            case .day(let day): return .success(.date(day))
            case .lotusLeapDay:
                return failure("is Excel's serial date for 1900-02-29, a day that never existed")
            case .outOfRange:
                return failure(
                    "\(dateProblem), nor an Excel serial date (\(ExcelSerialDate.validSerials.lowerBound) to "
                        + "\(ExcelSerialDate.validSerials.upperBound))")
            }
        }
    }

    private func isNullValue(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        nullValues.contains { $0.elementsEqual(bytes) }
    }

    private static func bool(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard bytes.count <= 5 else { return nil }
        switch String(decoding: bytes, as: UTF8.self).lowercased() {
        case "true", "yes", "y", "1": return true
        case "false", "no", "n", "0": return false
        default: return nil
        }
    }

    // MARK: Typed cells

    private func convert(int value: Int, as type: FieldType) -> Result<Value, CellDecodeFailure> {
        switch type {
        case .string: return .success(.string(String(value)))
        case .int: return .success(.int(value))
        case .number: return .success(.number(Double(value)))
        case .bool:
            if value == 0 || value == 1 { return .success(.bool(value == 1)) }
            return .failure(CellDecodeFailure(text: String(value), problem: "is not true or false (1 or 0)"))
        case .date: return convert(number: Double(value), as: .date)
        }
    }

    private func convert(number value: Double, as type: FieldType) -> Result<Value, CellDecodeFailure> {
        let text = Value.number(value).description
        switch type {
        case .string: return .success(.string(text))
        case .int:
            if value.isFinite, value.rounded() == value, abs(value) < 9.2e18 { return .success(.int(Int(value))) }
            return .failure(CellDecodeFailure(text: text, problem: "is not a whole number"))
        case .number:
            if value.isFinite { return .success(.number(value)) }
            return .failure(CellDecodeFailure(text: text, problem: "is not a number"))
        case .bool:
            if value == 0 || value == 1 { return .success(.bool(value == 1)) }
            return .failure(CellDecodeFailure(text: text, problem: "is not true or false (1 or 0)"))
        case .date:
            // A number in a date column is how Excel stores a date.
            switch ExcelSerialDate.day(fromSerial: value) {
            case .day(let day): return .success(.date(day))
            case .lotusLeapDay:
                return .failure(
                    CellDecodeFailure(
                        text: text, problem: "is Excel's serial date for 1900-02-29, a day that never existed"))
            case .outOfRange:
                return .failure(
                    CellDecodeFailure(
                        text: text,
                        problem: "is not an Excel serial date (\(ExcelSerialDate.validSerials.lowerBound) to "
                            + "\(ExcelSerialDate.validSerials.upperBound))"))
            }
        }
    }

    private func convert(bool value: Bool, as type: FieldType) -> Result<Value, CellDecodeFailure> {
        switch type {
        case .string: return .success(.string(value ? "true" : "false"))
        case .int: return .success(.int(value ? 1 : 0))
        case .number: return .success(.number(value ? 1 : 0))
        case .bool: return .success(.bool(value))
        case .date: return .failure(CellDecodeFailure(text: value ? "true" : "false", problem: "is not a date"))
        }
    }

    private func convert(date value: Day, as type: FieldType) -> Result<Value, CellDecodeFailure> {
        switch type {
        case .string: return .success(.string(value.iso))
        case .date: return .success(.date(value))
        case .int, .number, .bool:
            return .failure(CellDecodeFailure(text: value.iso, problem: "is a date, not a \(type)"))
        }
    }

    // MARK: Trimming

    /// Trims ASCII whitespace and no-break spaces (U+00A0, which Excel exports leave around values).
    package static func trim(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end {
            if isSpace(bytes[start]) {
                start += 1
            } else if start + 1 < end && bytes[start] == 0xC2 && bytes[start + 1] == 0xA0 {
                start += 2
            } else {
                break
            }
        }
        while end > start {
            if isSpace(bytes[end - 1]) {
                end -= 1
            } else if end - 2 >= start && bytes[end - 2] == 0xC2 && bytes[end - 1] == 0xA0 {
                end -= 2
            } else {
                break
            }
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    package static func trimmed(_ text: String) -> String {
        var text = text
        return text.withUTF8 { String(decoding: trim($0), as: UTF8.self) }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (byte >= 9 && byte <= 13) }
}
