/// One lexical unit of an expression, with its position in Unicode scalars so that errors can
/// be mapped back to a file, line and column.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case int(Int)
        case number(Double)
        case string(String)
        /// A name, possibly dotted (`kpi.timeliness_20w`).
        case identifier(String)
        case keyword(Keyword)
        case symbol(Symbol)
        case end
    }

    var kind: Kind
    var offset: Int
    var length: Int
    /// The token as written, for error messages.
    var text: String

    var end: Int { offset + length }

    /// How an error message names the token.
    var quoted: String {
        if case .end = kind { return "end of expression" }
        return "'\(text)'"
    }

    func isKeyword(_ keyword: Keyword) -> Bool { kind == .keyword(keyword) }

    func isSymbol(_ symbol: Symbol) -> Bool { kind == .symbol(symbol) }
}

/// Reserved words. They are lower case only: `AND` is a name, and an error suggests `and`.
enum Keyword: String, Sendable, CaseIterable {
    case and, or, not, `in`, `is`, null, `true`, `false`
}

enum Symbol: String, Sendable {
    case leftParen = "("
    case rightParen = ")"
    case leftBracket = "["
    case rightBracket = "]"
    case comma = ","
    case plus = "+"
    case minus = "-"
    case star = "*"
    case slash = "/"
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}
