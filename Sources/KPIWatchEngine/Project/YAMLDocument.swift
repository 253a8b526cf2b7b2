import Foundation
import KPIWatchCore
import Yams

/// A YAML file composed into Yams nodes, with its raw lines kept: Codable would lose where each value was written,
/// and every error a user can fix in a config or rule file must name its file, line and column.
public struct YAMLDocument {
    /// The path as the user (or the project file) named it: diagnostics show it unchanged.
    public let file: String
    /// nil for an empty document (only comments or nothing at all).
    public let root: Node?
    /// Lines as Unicode scalars, because Yams' marks count columns in scalars.
    package let lines: [[Unicode.Scalar]]
    /// The largest project or rule file read (16 MB): far beyond any real one, and well within memory.
    package static let maxBytes = 16 << 20

    public init(text: String, file: String) throws(Diagnostic) {
        self.file = file
        self.lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var scalars = Array(line)
            if scalars.last == "\r" { scalars.removeLast() }
            return scalars
        }
        do {
            let composed = try Yams.compose(yaml: text)
            if let composed {
                try Self.checkExpansion(composed, budget: 1_000_000 + 2 * text.utf8.count, file: file)
            }
            self.root = composed.map(Self.resolvingMergeKeys)
        } catch let error as Diagnostic {
            throw error
        } catch let error as YamlError {
            throw Self.diagnostic(for: error, file: file, lines: lines)
        } catch {
            throw Diagnostic("cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// Reads and composes `path`; `what` names the file in errors ("rule file", "project file").
    public static func read(path: String, what: String) throws(Diagnostic) -> YAMLDocument {
        if let problem = FileKind.problem(reading: path, shown: "\(what) '\(path)'"), FileKind.of(path) != .folder {
            throw Diagnostic(problem.message, place: path, hint: problem.hint)
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxBytes {
            throw Diagnostic(
                "\(what) '\(path)' is \(size / 1_048_576) MB; a YAML file may hold at most \(maxBytes / 1_048_576) MB",
                place: path, hint: "split it into several files")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Diagnostic("\(what) '\(path)' does not exist", place: path, hint: "check the path and its spelling")
        }
        guard !isDirectory.boolValue else {
            throw Diagnostic("\(what) '\(path)' is a folder", place: path, hint: "name a .yaml file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic("\(what) '\(path)' cannot be read", place: path, hint: "check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(
                "\(what) '\(path)' is not UTF-8 text", at: firstInvalidUTF8(in: data, file: path),
                hint: "save it as UTF-8")
        }
        return try YAMLDocument(text: text, file: path)
    }

    public func location(of node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    public func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    /// A scalar's text with the origin of its first character in the file (RULES.md §2: errors inside an
    /// expression point into the YAML). An expression that YAML folded over several lines keeps its line breaks and
    /// indentation, so that every character maps back exactly; expressions treat both as white space. A template
    /// keeps YAML's own text.
    public func locatedText(_ node: Node, isExpression: Bool) -> LocatedText? {
        guard case .scalar(let scalar) = node else { return nil }
        guard let mark = scalar.mark else {
            return LocatedText(scalar.string, origin: TextOrigin(file: file, line: 1, column: 1))
        }
        switch scalar.style {
        case .literal, .folded:
            let line = mark.line + 1
            guard let block = blockLines(startingAt: line) else {
                return LocatedText(scalar.string, origin: TextOrigin(file: file, line: line, column: 1))
            }
            let text = isExpression && scalar.style == .folded ? block.text : scalar.string
            let column = block.indentation + 1
            return LocatedText(text, origin: TextOrigin(file: file, line: line, column: column))
        case .singleQuoted, .doubleQuoted:
            return flowText(scalar.string, line: mark.line, column: mark.column + 1, isExpression: isExpression)
        case .plain, .any:
            return flowText(scalar.string, line: mark.line, column: mark.column, isExpression: isExpression)
        }
    }

    private func flowText(_ value: String, line: Int, column: Int, isExpression: Bool) -> LocatedText {
        if isExpression, !isOnOneLine(value, line: line, column: column),
            let unfolded = unfolded(value, line: line, column: column)
        {
            return LocatedText(
                unfolded, origin: TextOrigin(file: file, line: line, column: column, continuationColumn: 1))
        }
        return LocatedText(value, origin: TextOrigin(file: file, line: line, column: column))
    }

    private func isOnOneLine(_ value: String, line: Int, column: Int) -> Bool {
        guard line >= 1, line <= lines.count, column >= 1 else { return false }
        let raw = lines[line - 1].dropFirst(column - 1)
        return raw.starts(with: value.unicodeScalars)
    }

    /// `value` as the source spells it from (line, column): where YAML folded a line break (and the white space
    /// around it) into one space, the break and the next line's indentation are put back. nil if the source does
    /// not match (escapes in quoted scalars), in which case the folded value is used as it is.
    private func unfolded(_ value: String, line: Int, column: Int) -> String? {
        let wanted = Array(value.unicodeScalars)
        var result = String.UnicodeScalarView()
        var row = line - 1
        var col = column - 1
        var index = 0
        func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
        while index < wanted.count {
            guard row < lines.count else { return nil }
            let raw = lines[row]
            if raw[min(col, raw.count)...].allSatisfy(isBlank) {
                // A fold: trailing white space, one or more line breaks, then the next line's indentation.
                guard wanted[index] == " " || wanted[index] == "\n" else { return nil }
                result.append(contentsOf: raw[min(col, raw.count)...])
                var breaks = 0
                repeat {
                    result.append("\n")
                    breaks += 1
                    row += 1
                    col = 0
                    guard row < lines.count else { return nil }
                    while col < lines[row].count, isBlank(lines[row][col]) {
                        result.append(lines[row][col])
                        col += 1
                    }
                } while col >= lines[row].count
                let replacement: [Unicode.Scalar] = breaks == 1 ? [" "] : Array(repeating: "\n", count: breaks - 1)
                guard wanted[index...].starts(with: replacement) else { return nil }
                index += replacement.count
                continue
            }
            guard raw[col] == wanted[index] else { return nil }
            result.append(raw[col])
            col += 1
            index += 1
        }
        return String(result)
    }

    /// The content lines of a block scalar whose first content line is `line`: its indentation and the lines
    /// joined with their line breaks kept (a folded block's text as a literal block would read).
    private func blockLines(startingAt line: Int) -> (indentation: Int, text: String)? {
        func indentation(_ row: [Unicode.Scalar]) -> Int? {
            let count = row.prefix { $0 == " " }.count
            return count == row.count ? nil : count
        }
        guard line >= 1, line <= lines.count,
            let indent = lines[(line - 1)...].lazy.compactMap(indentation).first
        else {
            return nil
        }
        var content: [String] = []
        for row in lines[(line - 1)...] {
            if let rowIndent = indentation(row) {
                if rowIndent < indent { break }
                content.append(String(String.UnicodeScalarView(row.dropFirst(indent))))
            } else {
                content.append("")
            }
        }
        while content.last == "" { content.removeLast() }
        return (indent, content.joined(separator: "\n"))
    }

    /// Applies YAML merge keys (`<<: *defaults`), so that rules can share settings through anchors; keys written
    /// in the mapping itself win over merged ones, and earlier merged mappings over later ones. A `<<` whose value
    /// is not a mapping (or a list of them) is left in place, to be reported as an unknown key.
    package static func resolvingMergeKeys(_ node: Node) -> Node {
        switch node {
        case .mapping(let mapping):
            var pairs: [(Node, Node)] = []
            var merged: [(Node, Node)] = []
            for (key, value) in mapping {
                let sources: [Node]
                switch value {
                case .mapping: sources = [value]
                case .sequence(let items): sources = Array(items)
                default: sources = []
                }
                let isMerge = key.scalar.map { $0.string == "<<" && $0.style == .plain } ?? false
                guard isMerge, !sources.isEmpty, sources.allSatisfy({ $0.mapping != nil }) else {
                    pairs.append((key, resolvingMergeKeys(value)))
                    continue
                }
                for source in sources {
                    guard case .mapping(let resolved) = resolvingMergeKeys(source) else { continue }
                    merged.append(contentsOf: resolved.map { ($0.key, $0.value) })
                }
            }
            var present = Set(pairs.compactMap { $0.0.scalar?.string })
            for (key, value) in merged where present.insert(key.scalar?.string ?? "").inserted {
                pairs.append((key, value))
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            return .sequence(
                Node.Sequence(sequence.map(resolvingMergeKeys), sequence.tag, sequence.style, sequence.mark))
        case .scalar, .alias:
            return node
        }
    }

    /// Refuses a document whose aliases expand it past `budget` values ("billion laughs": nine lines of anchors
    /// can stand for 10^9 values). Yams shares an aliased node rather than copying it, but every walk over the
    /// tree (merge keys, interpolation, reading) visits each use. Counted without recursion, stopping at the budget.
    package static func checkExpansion(_ root: Node, budget: Int, file: String) throws(Diagnostic) {
        var pending = [root]
        var count = 0
        while let node = pending.popLast() {
            count += 1
            if count > budget {
                let mark = node.mark
                throw Diagnostic(
                    "the YAML expands to more than \(budget) values through its aliases (*name)",
                    at: SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1),
                    hint: "an alias repeats its anchor's whole value; write the values out, or use fewer nested aliases"
                )
            }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            case .sequence(let sequence): pending.append(contentsOf: sequence)
            case .scalar, .alias: continue
            }
        }
    }

    // MARK: - Locations of unreadable text

    /// Where the first byte that is not UTF-8 is: line, and column in characters before it.
    package static func firstInvalidUTF8(in data: Data, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == 10 {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput, .error:
                return SourceLocation(file: file, line: line, column: column)
            }
        }
    }

    /// The line and column (in Unicode scalars, as Yams counts) of the character at `offset` of `text`.
    package static func location(ofCharacter offset: Int, in text: String, file: String) -> SourceLocation {
        let end = text.index(text.startIndex, offsetBy: max(0, offset), limitedBy: text.endIndex) ?? text.endIndex
        var line = 1
        var column = 1
        for scalar in text[..<end].unicodeScalars {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    // MARK: - YAML syntax errors

    package static func diagnostic(for error: YamlError, file: String, lines: [[Unicode.Scalar]]) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return Diagnostic(
                "YAML syntax error: \(problem)", at: at(mark),
                hint: syntaxHint(problem: problem, context: context, mark: mark, file: file, lines: lines))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let first = at(context.mark)
            let second = secondOccurrence(of: key, after: context.mark, lines: lines).map {
                SourceLocation(file: file, line: $0.line, column: $0.column)
            }
            var message = "duplicate key '\(key)'"
            if duplicates.count > 1 {
                message += " (also " + duplicates.dropFirst().map { "'\($0)'" }.joined(separator: ", ") + ")"
            }
            return Diagnostic(
                message, at: second ?? first,
                hint: "a key may appear only once in a mapping; first defined at \(first)")
        case .reader(let problem, let offset, let value, let yaml):
            let character = value >= 0 ? String(format: " (U+%04X)", Int(value)) : ""
            return Diagnostic(
                "cannot read YAML: \(problem)\(character)",
                at: location(ofCharacter: offset ?? 0, in: yaml, file: file),
                hint: "remove the character, or write it inside a double-quoted string as an escape such as \\t")
        default:
            return Diagnostic("cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    private static func syntaxHint(
        problem: String, context: YamlError.Context?, mark: Mark, file: String, lines: [[Unicode.Scalar]]
    ) -> String {
        let row = mark.line - 1
        let character: Unicode.Scalar? =
            row >= 0 && row < lines.count && mark.column - 1 < lines[row].count && mark.column >= 1
            ? lines[row][mark.column - 1] : nil
        if character == "\t" || problem.contains("tab") {
            return "indent with spaces: YAML does not allow tabs for indentation"
        }
        if problem.contains("mapping values are not allowed") {
            return "quote a value that contains ': ' (for example message: \"…\")"
        }
        if problem.contains("cannot start any token") {
            return "quote a value that starts with @, ` or %"
        }
        if problem.contains("did not find expected key") || problem.contains("did not find expected '-'") {
            return "check the indentation: the keys of one mapping, and the items of one list, must line up"
        }
        if let context {
            return "\(context.text) at \(file):\(context.mark.line):\(context.mark.column)"
        }
        return "check the YAML syntax at this position"
    }

    /// Yams reports a duplicate key at its first occurrence; the user needs the second, which is the one to
    /// remove or rename. Found by looking for the same key at the same column further down the same block
    /// mapping; nil for flow mappings, where the first occurrence is reported instead.
    package static func secondOccurrence(
        of key: String, after mark: Mark, lines: [[Unicode.Scalar]]
    ) -> (line: Int, column: Int)? {
        let indent = mark.column - 1
        let spellings = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }
        var row = mark.line
        while row < lines.count {
            let line = lines[row]
            row += 1
            let leading = line.prefix { $0 == " " }.count
            if leading == line.count || line[leading] == "#" { continue }
            if leading < indent { return nil }
            guard leading == indent else { continue }
            let rest = line[leading...]
            for spelling in spellings where rest.starts(with: spelling) {
                let after = rest.dropFirst(spelling.count).drop { $0 == " " }
                if after.first == ":" { return (row, mark.column) }
            }
        }
        return nil
    }
}
