import KPIWatchCore

/// Splits expression text into tokens. Every lexical error is collected (not only the first), each
/// located at the offending character.
package struct Lexer {
    private let scalars: [Unicode.Scalar]
    private let source: LocatedText
    private var position = 0
    private(set) var tokens: [Token] = []
    private(set) var diagnostics: [Diagnostic] = []

    package init(_ source: LocatedText) {
        self.source = source
        self.scalars = Array(source.text.unicodeScalars)
    }

    /// The tokens of `source`, ending with `.end`, or every lexical error found.
    package static func tokenize(_ source: LocatedText) throws(Diagnostics) -> [Token] {
        var lexer = Lexer(source)
        lexer.run()
        if !lexer.diagnostics.isEmpty { throw Diagnostics(lexer.diagnostics) }
        return lexer.tokens
    }

    private mutating func run() {
        while true {
            skipWhitespace()
            guard position < scalars.count else { break }
            let start = position
            let scalar = scalars[position]
            if Lexer.isNameStart(scalar) {
                lexName()
            } else if Lexer.isDigit(scalar) {
                lexNumber()
            } else if scalar == "\"" || scalar == "'" {
                lexString(quote: scalar)
            } else {
                lexSymbol()
            }
            precondition(position > start, "the lexer must advance")
        }
        tokens.append(Token(kind: .end, offset: scalars.count, length: 0, text: ""))
    }

    private mutating func skipWhitespace() {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    }

    private func text(_ range: Range<Int>) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[range])
        return String(result)
    }

    private mutating func add(_ kind: Token.Kind, from start: Int) {
        tokens.append(Token(kind: kind, offset: start, length: position - start, text: text(start..<position)))
    }

    private mutating func error(_ message: String, at offset: Int, hint: String) {
        diagnostics.append(Diagnostic(message, at: source.location(at: offset), hint: hint))
    }

    private mutating func lexName() {
        let start = position
        while true {
            while position < scalars.count, Lexer.isNamePart(scalars[position]) { position += 1 }
            // A dot joins a name only when a name follows (`kpi.x`); a lone dot is an error below.
            guard position + 1 < scalars.count, scalars[position] == ".", Lexer.isNameStart(scalars[position + 1])
            else { break }
            position += 1
        }
        let name = text(start..<position)
        if let keyword = Keyword(rawValue: name) {
            add(.keyword(keyword), from: start)
        } else {
            add(.identifier(name), from: start)
        }
    }

    private mutating func lexNumber() {
        let start = position
        while position < scalars.count, Lexer.isDigit(scalars[position]) { position += 1 }
        var isInteger = true
        if position < scalars.count, scalars[position] == "." {
            position += 1
            guard position < scalars.count, Lexer.isDigit(scalars[position]) else {
                error("expected digits after '.' in a number", at: position, hint: "write decimals like 3.5")
                return
            }
            isInteger = false
            while position < scalars.count, Lexer.isDigit(scalars[position]) { position += 1 }
        }
        let written = text(start..<position)
        if isInteger, let value = Int(written) {
            add(.int(value), from: start)
        } else if !isInteger, let value = Double(written) {
            add(.number(value), from: start)
        } else {
            error(
                "the number \(written) is too large", at: start,
                hint: "write it with a decimal point, e.g. \(written).0")
        }
    }

    private mutating func lexString(quote: Unicode.Scalar) {
        let start = position
        position += 1
        var value = String.UnicodeScalarView()
        while position < scalars.count, scalars[position] != quote {
            if scalars[position] == "\\", position + 1 < scalars.count {
                let escaped = scalars[position + 1]
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\\", "\"", "'": value.append(escaped)
                default:
                    error(
                        "unknown escape '\\\(escaped)' in a string", at: position,
                        hint: "valid escapes: \\\\, \\\", \\', \\n, \\t")
                    value.append(escaped)
                }
                position += 2
            } else {
                value.append(scalars[position])
                position += 1
            }
        }
        guard position < scalars.count else {
            error("unterminated string", at: start, hint: "close it with a matching \(quote)")
            return
        }
        position += 1
        add(.string(String(value)), from: start)
    }

    private mutating func lexSymbol() {
        let start = position
        let scalar = scalars[position]
        let next: Unicode.Scalar? = position + 1 < scalars.count ? scalars[position + 1] : nil
        func take(_ symbol: Symbol, length: Int) {
            position += length
            add(.symbol(symbol), from: start)
        }
        switch scalar {
        case "(": take(.leftParen, length: 1)
        case ")": take(.rightParen, length: 1)
        case "[": take(.leftBracket, length: 1)
        case "]": take(.rightBracket, length: 1)
        case ",": take(.comma, length: 1)
        case "+": take(.plus, length: 1)
        case "-": take(.minus, length: 1)
        case "*": take(.star, length: 1)
        case "/": take(.slash, length: 1)
        case "<" where next == "=": take(.lessOrEqual, length: 2)
        case "<" where next == ">":
            position += 2
            error("unexpected '<>'; did you mean '!='?", at: start, hint: "'!=' tests that two values differ")
        case "<": take(.less, length: 1)
        case ">" where next == "=": take(.greaterOrEqual, length: 2)
        case ">": take(.greater, length: 1)
        case "=" where next == "=": take(.equal, length: 2)
        case "=":
            position += 1
            error("unexpected '='; did you mean '=='?", at: start, hint: "'==' tests that two values are equal")
        case "!" where next == "=": take(.notEqual, length: 2)
        case "!":
            position += 1
            error("unexpected '!'; did you mean 'not'?", at: start, hint: "negate a condition with 'not'")
        case "&" where next == "&":
            position += 2
            error("unexpected '&&'; did you mean 'and'?", at: start, hint: "join conditions with 'and'")
        case "|" where next == "|":
            position += 2
            error("unexpected '||'; did you mean 'or'?", at: start, hint: "join conditions with 'or'")
        case "{", "}":
            position += 1
            error(
                "unexpected '\(scalar)' in an expression", at: start,
                hint: "braces belong in messages, around an expression: \"{team}\"")
        default:
            position += 1
            error(
                "unexpected character '\(scalar)'", at: start,
                hint: "expressions use names, numbers, \"text\", ( ) [ ] , + - * / == != < <= > >=")
        }
    }

    package static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    package static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            || (scalar.value > 127 && scalar.properties.isAlphabetic)
    }

    package static func isNamePart(_ scalar: Unicode.Scalar) -> Bool { isNameStart(scalar) || isDigit(scalar) }
}
