import KPIWatchCore

/// One lexical unit of an expression, with its position in Unicode scalars so that errors can
/// be mapped back to a file, line and column.
package struct Token: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case int(Int)
        case number(Double)
        case string(String)
        /// A name, possibly dotted (`kpi.timeliness_20w`).
        case identifier(String)
        case keyword(Keyword)
        case symbol(Symbol)
        case end
    }

    package var kind: Kind
    package var offset: Int
    package var length: Int
    /// The token as written, for error messages.
    package var text: String

    package var end: Int { offset + length }

    /// How an error message names the token.
    package var quoted: String {
        if case .end = kind { return "end of expression" }
        return "'\(text)'"
    }

    package func isKeyword(_ keyword: Keyword) -> Bool { kind == .keyword(keyword) }

    package func isSymbol(_ symbol: Symbol) -> Bool { kind == .symbol(symbol) }
}

/// Reserved words. They are lower case only: `AND` is a name, and an error suggests `and`.
package enum Keyword: String, Sendable, CaseIterable {
    case and, or, not, `in`, `is`, null, `true`, `false`
}

package enum Symbol: String, Sendable {
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
