import KPIWatchCore

/// Recursive-descent parser for RULES.md §3. Precedence, lowest first: `or`; `and`; prefix `not`;
/// comparisons (`== != < <= > >=`, `in [..]`, `not in [..]`, `is null`, `is not null`, not chainable);
/// `+ -`; `* /`; unary `-`; literals, names, calls and parentheses.
/// Stops at the first syntax error, since what follows it cannot be read reliably.
package struct Parser {
    /// How deep parentheses, calls, `not` and unary minus may nest: the parser recurses once per level.
    package static let maxNesting = 64
    /// How tall the tree may grow (a chain of 300 `and`s is 300 levels): every later pass recurses this deep.
    package static let maxHeight = 256

    private let tokens: [Token]
    private let source: LocatedText
    private var position = 0
    private var nesting = 0

    package init(tokens: [Token], source: LocatedText) {
        self.tokens = tokens
        self.source = source
    }

    package static func parse(_ source: LocatedText) throws(Diagnostics) -> ExprNode {
        let tokens = try Lexer.tokenize(source)
        var parser = Parser(tokens: tokens, source: source)
        do {
            return try parser.parseWhole()
        } catch {
            throw Diagnostics([error])
        }
    }

    private var current: Token { tokens[position] }

    private var previous: Token? { position > 0 ? tokens[position - 1] : nil }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func failure(_ message: String, at token: Token, hint: String) -> Diagnostic {
        Diagnostic(message, at: source.location(at: token.offset), hint: hint)
    }

    /// Enters one level of nesting at `token`; the caller leaves it with `nesting -= 1`.
    private mutating func enter(_ token: Token) throws(Diagnostic) {
        nesting += 1
        guard nesting <= Parser.maxNesting else {
            throw failure(
                "the expression nests more than \(Parser.maxNesting) levels deep", at: token,
                hint: "split it into KPIs that reference each other (kpi.ID), or simplify it")
        }
    }

    /// A node built at operator `token`, refused when the tree grows taller than `maxHeight`.
    private func checked(_ node: ExprNode, at token: Token) throws(Diagnostic) -> ExprNode {
        guard node.height <= Parser.maxHeight else {
            throw failure(
                "the expression is more than \(Parser.maxHeight) operations deep", at: token,
                hint: "test a value against many others with 'x in [...]', or split it into KPIs (kpi.ID)")
        }
        return node
    }

    private mutating func parseWhole() throws(Diagnostic) -> ExprNode {
        if case .end = current.kind {
            throw failure(
                "empty expression", at: current, hint: "write a value or a condition, e.g. final_plan_date is null")
        }
        let node = try parseOr()
        guard case .end = current.kind else { throw trailingInput() }
        return node
    }

    private func trailingInput() -> Diagnostic {
        if case .identifier(let name) = current.kind, let keyword = Keyword(rawValue: name.lowercased()) {
            return failure(
                "unexpected \(current.quoted) after a complete expression", at: current,
                hint: "keywords are lower case: did you mean '\(keyword.rawValue)'?")
        }
        return failure(
            "unexpected \(current.quoted) after a complete expression", at: current,
            hint: "join conditions with 'and' or 'or', and values with an operator such as '+'")
    }

    private mutating func parseOr() throws(Diagnostic) -> ExprNode {
        var left = try parseAnd()
        while current.isKeyword(.or) {
            let op = advance()
            let right = try parseAnd()
            left = try checked(
                ExprNode(
                    .binary(.or, left, right), offset: op.offset,
                    range: left.range.lowerBound..<right.range.upperBound), at: op)
        }
        return left
    }

    private mutating func parseAnd() throws(Diagnostic) -> ExprNode {
        var left = try parseNot()
        while current.isKeyword(.and) {
            let op = advance()
            let right = try parseNot()
            left = try checked(
                ExprNode(
                    .binary(.and, left, right), offset: op.offset,
                    range: left.range.lowerBound..<right.range.upperBound), at: op)
        }
        return left
    }

    private mutating func parseNot() throws(Diagnostic) -> ExprNode {
        guard current.isKeyword(.not) else { return try parseComparison() }
        let op = advance()
        try enter(op)
        let operand = try parseNot()
        nesting -= 1
        return ExprNode(.not(operand), offset: op.offset, range: op.offset..<operand.range.upperBound)
    }

    private static let comparisonSymbols: [Symbol: BinaryOperator] = [
        .equal: .equal, .notEqual: .notEqual, .less: .less, .lessOrEqual: .lessOrEqual, .greater: .greater,
        .greaterOrEqual: .greaterOrEqual,
    ]

    private var startsComparison: Bool {
        if case .symbol(let symbol) = current.kind, Parser.comparisonSymbols[symbol] != nil { return true }
        return current.isKeyword(.in) || current.isKeyword(.is)
            || (current.isKeyword(.not) && tokens[position + 1].isKeyword(.in))
    }

    private mutating func parseComparison() throws(Diagnostic) -> ExprNode {
        let left = try parseAdditive()
        let node: ExprNode
        if case .symbol(let symbol) = current.kind, let op = Parser.comparisonSymbols[symbol] {
            let token = advance()
            let right = try parseAdditive()
            node = ExprNode(
                .binary(op, left, right), offset: token.offset, range: left.range.lowerBound..<right.range.upperBound)
        } else if current.isKeyword(.in) {
            let token = advance()
            let (list, end) = try parseList(after: "'in'")
            node = ExprNode(
                .inList(left, list, negated: false), offset: token.offset, range: left.range.lowerBound..<end)
        } else if current.isKeyword(.not) {
            let token = advance()
            guard current.isKeyword(.in) else {
                throw failure(
                    "expected 'in' after 'not'", at: current,
                    hint: "write 'x not in [\"a\", \"b\"]', or negate a whole condition: 'not (x < 5)'")
            }
            _ = advance()
            let (list, end) = try parseList(after: "'not in'")
            node = ExprNode(
                .inList(left, list, negated: true), offset: token.offset, range: left.range.lowerBound..<end)
        } else if current.isKeyword(.is) {
            let token = advance()
            let negated = current.isKeyword(.not)
            if negated { _ = advance() }
            guard current.isKeyword(.null) else {
                throw failure(
                    "expected \(negated ? "'null'" : "'null' or 'not null'") after '\(negated ? "is not" : "is")'",
                    at: current, hint: "'is' only tests for null; compare values with '=='")
            }
            let end = advance().end
            node = ExprNode(.isNull(left, negated: negated), offset: token.offset, range: left.range.lowerBound..<end)
        } else {
            return left
        }
        if startsComparison {
            throw failure(
                "comparisons cannot be chained", at: current, hint: "join them with 'and', e.g. 'a < b and b < c'")
        }
        return node
    }

    private mutating func parseList(after what: String) throws(Diagnostic) -> ([ExprNode], Int) {
        guard current.isSymbol(.leftBracket) else {
            throw failure("expected '[' after \(what)", at: current, hint: "write a list like [\"North\", \"South\"]")
        }
        try enter(current)
        defer { nesting -= 1 }
        _ = advance()
        var items: [ExprNode] = []
        if current.isSymbol(.rightBracket) { return (items, advance().end) }
        while true {
            items.append(try parseAdditive())
            if current.isSymbol(.comma) {
                _ = advance()
            } else if current.isSymbol(.rightBracket) {
                return (items, advance().end)
            } else {
                throw failure("expected ',' or ']' in the list", at: current, hint: "separate list items with ','")
            }
        }
    }

    private mutating func parseAdditive() throws(Diagnostic) -> ExprNode {
        var left = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            if current.isSymbol(.plus) { op = .add } else if current.isSymbol(.minus) { op = .subtract } else { break }
            let token = advance()
            let right = try parseMultiplicative()
            left = try checked(
                ExprNode(
                    .binary(op, left, right), offset: token.offset,
                    range: left.range.lowerBound..<right.range.upperBound), at: token)
        }
        return left
    }

    private mutating func parseMultiplicative() throws(Diagnostic) -> ExprNode {
        var left = try parseUnary()
        while true {
            let op: BinaryOperator
            if current.isSymbol(.star) {
                op = .multiply
            } else if current.isSymbol(.slash) {
                op = .divide
            } else {
                break
            }
            let token = advance()
            let right = try parseUnary()
            left = try checked(
                ExprNode(
                    .binary(op, left, right), offset: token.offset,
                    range: left.range.lowerBound..<right.range.upperBound), at: token)
        }
        return left
    }

    private mutating func parseUnary() throws(Diagnostic) -> ExprNode {
        guard current.isSymbol(.minus) else { return try parsePrimary() }
        let token = advance()
        try enter(token)
        let operand = try parseUnary()
        nesting -= 1
        return ExprNode(.negate(operand), offset: token.offset, range: token.offset..<operand.range.upperBound)
    }

    private mutating func parsePrimary() throws(Diagnostic) -> ExprNode {
        let token = current
        let range = token.offset..<token.end
        switch token.kind {
        case .int(let value):
            _ = advance()
            return ExprNode(.literal(.int(value)), offset: token.offset, range: range)
        case .number(let value):
            _ = advance()
            return ExprNode(.literal(.number(value)), offset: token.offset, range: range)
        case .string(let value):
            _ = advance()
            return ExprNode(.literal(.string(value)), offset: token.offset, range: range)
        case .keyword(.true), .keyword(.false):
            _ = advance()
            return ExprNode(.literal(.bool(token.isKeyword(.true))), offset: token.offset, range: range)
        case .keyword(.null):
            _ = advance()
            return ExprNode(.literal(.null), offset: token.offset, range: range)
        case .identifier(let name):
            _ = advance()
            guard current.isSymbol(.leftParen) else { return ExprNode(.name(name), offset: token.offset, range: range) }
            return try parseCall(name: token)
        case .symbol(.leftParen):
            _ = advance()
            try enter(token)
            let inner = try parseOr()
            nesting -= 1
            guard current.isSymbol(.rightParen) else {
                throw failure(
                    "expected ')' to close the '(' at \(source.location(at: token.offset))", at: current,
                    hint: "every '(' needs a matching ')'")
            }
            _ = advance()
            return inner
        case .end:
            let after = previous.map { " after \($0.quoted)" } ?? ""
            throw failure("expected a value\(after), found end of expression", at: token, hint: valueHint)
        default:
            throw failure("unexpected \(token.quoted); expected a value", at: token, hint: valueHint)
        }
    }

    private var valueHint: String { "a value is a number, \"text\", a name, a function call or '(…)'" }

    private mutating func parseCall(name: Token) throws(Diagnostic) -> ExprNode {
        _ = advance()  // (
        try enter(name)
        defer { nesting -= 1 }
        var arguments: [ExprNode] = []
        if !current.isSymbol(.rightParen) {
            while true {
                arguments.append(try parseOr())
                if current.isSymbol(.comma) {
                    _ = advance()
                } else {
                    break
                }
            }
        }
        guard current.isSymbol(.rightParen) else {
            throw failure(
                "expected ')' after arguments of \(name.text)", at: current,
                hint: "separate arguments with ',' and close the call with ')'")
        }
        let end = advance().end
        return try checked(
            ExprNode(.call(name: name.text, arguments: arguments), offset: name.offset, range: name.offset..<end),
            at: name)
    }
}
