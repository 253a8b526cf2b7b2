import KPIWatchCore

/// A message template such as `"Case {case_id} is at week {weeks_between(request_date, as_of)}"`:
/// literal text and `{…}` placeholders; `{{` and `}}` are literal braces.
public enum TemplatePart: Sendable, Hashable {
    case literal(String)
    /// The expression between the braces, without surrounding spaces, located where it was written.
    case placeholder(LocatedText)
    /// `{plural(n, "plan", "plans")}`: the number and the word that agrees with it.
    case plural(TemplatePlural)
}

public enum TemplateParser {
    /// Splits a template into parts. An unclosed `{`, a lone `}` and an empty `{}` are errors at
    /// their position; every one found is reported.
    public static func parse(_ source: LocatedText) throws -> [TemplatePart] {
        let scalars = Array(source.text.unicodeScalars)
        var parts: [TemplatePart] = []
        var literal = String.UnicodeScalarView()
        var diagnostics: [Diagnostic] = []
        var position = 0

        func flushLiteral() {
            if !literal.isEmpty { parts.append(.literal(String(literal))) }
            literal = String.UnicodeScalarView()
        }

        while position < scalars.count {
            let scalar = scalars[position]
            let next: Unicode.Scalar? = position + 1 < scalars.count ? scalars[position + 1] : nil
            if scalar == "{" && next == "{" || scalar == "}" && next == "}" {
                literal.append(scalar)
                position += 2
            } else if scalar == "}" {
                diagnostics.append(
                    Diagnostic(
                        "unexpected '}' in a message", at: source.location(at: position),
                        hint: "write '}}' for a literal brace"))
                position += 1
            } else if scalar == "{" {
                guard let close = closingBrace(in: scalars, after: position) else {
                    diagnostics.append(
                        Diagnostic(
                            "unclosed '{' in a message", at: source.location(at: position),
                            hint: "close the placeholder with '}', or write '{{' for a literal brace"))
                    break
                }
                var start = position + 1
                var end = close
                while start < end, scalars[start].properties.isWhitespace { start += 1 }
                while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
                if start == end {
                    diagnostics.append(
                        Diagnostic(
                            "empty placeholder '{}' in a message", at: source.location(at: position),
                            hint: "put a field or an expression between the braces, e.g. {case_id}"))
                } else {
                    flushLiteral()
                    let placeholder = source.slice(start..<end)
                    do {
                        if let plural = try TemplatePlural.parse(placeholder) {
                            parts.append(.plural(plural))
                        } else {
                            parts.append(.placeholder(placeholder))
                        }
                    } catch {
                        diagnostics += error.items
                    }
                }
                position = close + 1
            } else {
                literal.append(scalar)
                position += 1
            }
        }
        flushLiteral()
        if !diagnostics.isEmpty { throw Diagnostics(diagnostics) }
        return parts
    }

    /// The `}` that ends the placeholder opened at `open`, skipping braces inside quoted strings.
    private static func closingBrace(in scalars: [Unicode.Scalar], after open: Int) -> Int? {
        var position = open + 1
        var quote: Unicode.Scalar?
        while position < scalars.count {
            let scalar = scalars[position]
            if let current = quote {
                if scalar == "\\" {
                    position += 1
                } else if scalar == current {
                    quote = nil
                }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == "}" {
                return position
            } else if scalar == "{" {
                return nil
            }
            position += 1
        }
        return nil
    }
}
