import KPIWatchCore

/// `{plural(n, "open assessment", "open assessments")}` in a message: the number `n` as a count, then the words that
/// agree with it ("1 open assessment", "0 open assessments", "1,204 open assessments"). `n` is any number the
/// message may use (`value`, `count`, a field, `days_between(…)`); the words are text in quotes, and the second may
/// be left out when it is the first with an "s" (`plural(count, "plan")`). It is a whole placeholder of its own: the
/// words are chosen where the message is written, not computed by an expression.
public struct TemplatePlural: Sendable, Hashable {
    public static let name = "plural"
    package static let usage = "plural(n, \"plan\", \"plans\"): the number n, then the word that agrees with it"

    /// The expression for the number, located where it was written.
    public var number: LocatedText
    public var singular: String
    public var plural: String

    public init(number: LocatedText, singular: String, plural: String) {
        self.number = number
        self.singular = singular
        self.plural = plural
    }

    /// `shown`, the number as the message writes it, then the word: the singular when it reads exactly 1.
    public func text(_ shown: String) -> String {
        let digits = shown.hasPrefix("-") ? shown.dropFirst() : Substring(shown)
        return shown + " " + (digits == "1" ? singular : plural)
    }

    /// The plural a placeholder's text calls, nil when it calls something else (or does not parse: the compiler
    /// reports that); a call of it written wrong throws, every mistake at its file, line and column.
    static func parse(_ placeholder: LocatedText) throws(Diagnostics) -> TemplatePlural? {
        guard let node = try? Parser.parse(placeholder), case .call(let name, let arguments) = node.kind,
            name == Self.name
        else { return nil }
        let hint = "write it as " + usage
        guard (2...3).contains(arguments.count) else {
            throw Diagnostics([
                Diagnostic(
                    "plural takes a number and one or two words, got \(arguments.count) argument"
                        + (arguments.count == 1 ? "" : "s"), at: placeholder.location(at: node.offset), hint: hint)
            ])
        }
        var words: [String] = []
        var diagnostics: [Diagnostic] = []
        for argument in arguments.dropFirst() {
            guard case .literal(.string(let word)) = argument.kind, !word.isEmpty else {
                diagnostics.append(
                    Diagnostic(
                        "the words of plural must be text in quotes, not empty and not computed",
                        at: placeholder.location(at: argument.range.lowerBound), hint: hint))
                continue
            }
            words.append(word)
        }
        if !diagnostics.isEmpty { throw Diagnostics(diagnostics) }
        return TemplatePlural(
            number: placeholder.slice(arguments[0].range), singular: words[0],
            plural: words.count > 1 ? words[1] : words[0] + "s")
    }
}

extension LocatedText {
    /// The text of the scalars in `range`, located where they were written.
    package func slice(_ range: Range<Int>) -> LocatedText {
        let scalars = Array(text.unicodeScalars)
        let clamped = range.clamped(to: 0..<scalars.count)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[clamped])
        let at = location(at: clamped.lowerBound)
        return LocatedText(
            String(view),
            origin: TextOrigin(
                file: at.file, line: at.line, column: at.column, continuationColumn: origin.continuationColumn))
    }
}
