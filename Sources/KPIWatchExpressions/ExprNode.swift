import KPIWatchCore

/// The parsed, not yet type-checked form of an expression.
public struct ExprNode: Sendable, Hashable, CustomStringConvertible {
    public indirect enum Kind: Sendable, Hashable {
        case literal(Value)
        /// A field, variable, `as_of`, `kpi.ID` or `benchmark.NAME`.
        case name(String)
        case call(name: String, arguments: [ExprNode])
        case negate(ExprNode)
        case not(ExprNode)
        case binary(BinaryOperator, ExprNode, ExprNode)
        case inList(ExprNode, [ExprNode], negated: Bool)
        case isNull(ExprNode, negated: Bool)
    }

    public var kind: Kind
    /// The scalar offset of the token an error about this node points at: the operator of an
    /// operation, the name of a call, the first character of anything else.
    public var offset: Int
    /// The scalar range of the node's whole text (without enclosing parentheses).
    public var range: Range<Int>
    /// Levels of nodes from this one down to its deepest leaf: every pass over the tree (type checking,
    /// evaluation, translation to SQL) recurses this deep, so the parser refuses trees taller than a limit.
    public var height: Int

    public init(_ kind: Kind, offset: Int, range: Range<Int>) {
        self.kind = kind
        self.offset = offset
        self.range = range
        switch kind {
        case .literal, .name: height = 1
        case .call(_, let arguments): height = 1 + (arguments.map(\.height).max() ?? 0)
        case .negate(let operand), .not(let operand), .isNull(let operand, _): height = 1 + operand.height
        case .binary(_, let left, let right): height = 1 + max(left.height, right.height)
        case .inList(let operand, let list, _): height = 1 + max(operand.height, list.map(\.height).max() ?? 0)
        }
    }

    /// A fully parenthesised prefix form, e.g. `(+ 1 (* 2 3))`, that makes precedence visible.
    public var description: String {
        switch kind {
        case .literal(.string(let text)): return "\"\(text)\""
        case .literal(let value): return value.description
        case .name(let name): return name
        case .call(let name, let arguments): return "\(name)(\(arguments.map(\.description).joined(separator: ", ")))"
        case .negate(let operand): return "(- \(operand))"
        case .not(let operand): return "(not \(operand))"
        case .binary(let op, let left, let right): return "(\(op.rawValue) \(left) \(right))"
        case .inList(let operand, let list, let negated):
            return "(\(negated ? "not in" : "in") \(operand) [\(list.map(\.description).joined(separator: ", "))])"
        case .isNull(let operand, let negated): return "(\(negated ? "is not null" : "is null") \(operand))"
        }
    }
}

public enum BinaryOperator: String, Sendable, Hashable {
    case or, and
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"

    package var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return true
        default: return false
        }
    }
}
