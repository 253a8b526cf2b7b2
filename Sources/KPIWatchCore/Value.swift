/// The types a dataset field, an expression or a benchmark can have.
public enum FieldType: String, Sendable, CaseIterable, CustomStringConvertible {
    case string, int, number, date, bool
    public var description: String { rawValue }
    public var isNumeric: Bool { self == .int || self == .number }
}

/// One cell of a record, or the result of an expression. `null` is SQL's null: absent, unknown.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case date(Day)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The numeric value of an `int` or `number`, else nil.
    public var double: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    public var type: FieldType? {
        switch self {
        case .null: return nil
        case .bool: return .bool
        case .int: return .int
        case .number: return .number
        case .string: return .string
        case .date: return .date
        }
    }

    /// How a value reads in a message or a table: dates as ISO, numbers without a trailing `.0`.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
            return String(value)
        case .string(let value): return value
        case .date(let value): return value.iso
        }
    }
}
