/// Where an expression's text starts inside a YAML file, so that an error at character N of
/// the expression can name the file, line and column the user sees in their editor.
public struct TextOrigin: Sendable, Hashable {
    public var file: String
    /// Line and column (1-based) of the expression's first character.
    public var line: Int
    public var column: Int
    /// Column at which continuation lines start (block scalars); equals `column` for one-line text.
    public var continuationColumn: Int

    public init(file: String, line: Int, column: Int, continuationColumn: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.continuationColumn = continuationColumn ?? column
    }

    /// The location of the character at `offset` (counted in Unicode scalars) of the text.
    public func location(in text: String, at offset: Int) -> SourceLocation {
        var line = self.line
        var column = self.column
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index >= offset { break }
            if scalar == "\n" {
                line += 1
                column = continuationColumn
            } else {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    public var start: SourceLocation { SourceLocation(file: file, line: line, column: column) }
}

/// A piece of rule text (an expression or a template) together with where it was written.
public struct LocatedText: Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var origin: TextOrigin

    public init(_ text: String, origin: TextOrigin) {
        self.text = text
        self.origin = origin
    }

    public func location(at offset: Int) -> SourceLocation { origin.location(in: text, at: offset) }

    public var description: String { text }
}
