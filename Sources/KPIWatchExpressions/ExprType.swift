import KPIWatchCore

/// The static type of an expression, known when the rules load so that a type error is found
/// before any data is read. `null` is the type of the `null` literal alone: it fits anywhere.
public enum ExprType: Sendable, Hashable, CustomStringConvertible {
    case string, int, number, date, bool, null

    public init(_ field: FieldType) {
        switch field {
        case .string: self = .string
        case .int: self = .int
        case .number: self = .number
        case .date: self = .date
        case .bool: self = .bool
        }
    }

    /// The type of a constant such as a benchmark's value.
    public init(of value: Value) {
        if let type = value.type { self.init(type) } else { self = .null }
    }

    public var isNumeric: Bool { self == .int || self == .number }

    public var description: String {
        switch self {
        case .string: return "string"
        case .int: return "int"
        case .number: return "number"
        case .date: return "date"
        case .bool: return "bool"
        case .null: return "null"
        }
    }

    /// Whether a value of this type may stand where `expected` is required: an int is a number,
    /// and null fits anything.
    public func fits(_ expected: ExprType) -> Bool {
        self == expected || self == .null || (self == .int && expected == .number)
    }

    /// The one type several values share (int and number unify to number; null fits any), or nil.
    package static func unify(_ types: [ExprType]) -> ExprType? {
        var result = ExprType.null
        for type in types where type != .null {
            if result == .null || result == type {
                result = type
            } else if result.isNumeric && type.isNumeric {
                result = .number
            } else {
                return nil
            }
        }
        return result
    }
}
