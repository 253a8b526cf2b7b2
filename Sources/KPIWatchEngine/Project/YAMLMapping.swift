import Foundation
import KPIWatchCore
import Yams

/// One YAML mapping read as a model object. Every read that fails adds a Diagnostic at the value's line and column
/// and returns nil, so that loading goes on and one run reports every mistake in the file.
package struct YAMLMapping {
    package let document: YAMLDocument
    package let node: Node
    /// How messages name this mapping: "KPI 'timeliness_20w'", "dataset 'assessments'", "the project file".
    package var subject: String
    /// In the order written; keys that are not text are reported and left out.
    package let entries: [(key: String, keyNode: Node, value: Node)]
    /// The position in `entries` of each key's first entry: a mapping of 20,000 labels is read in linear time.
    private let positions: [String: Int]

    /// nil (and a diagnostic) when `node` is not a mapping.
    package init?(_ node: Node, in document: YAMLDocument, subject: String, _ diagnostics: inout DiagnosticCollector) {
        guard case .mapping(let mapping) = node else {
            diagnostics.add(
                Diagnostic(
                    "\(subject) must be a mapping of keys to values; got \(describe(node))",
                    at: document.location(of: node), hint: "write it as 'key: value' lines, indented under its name"))
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                diagnostics.add(
                    Diagnostic(
                        "a key in \(subject) must be text; got \(describe(key))", at: document.location(of: key)))
                continue
            }
            entries.append((scalar.string, key, value))
        }
        self.document = document
        self.node = node
        self.subject = subject
        self.entries = entries
        var positions: [String: Int] = [:]
        for (position, entry) in entries.enumerated() where positions[entry.key] == nil {
            positions[entry.key] = position
        }
        self.positions = positions
    }

    package var location: SourceLocation { document.location(of: node) }

    /// Reports every key that is not in `valid`, with the nearest valid key or the list of them.
    package func checkKeys(_ valid: [String], _ diagnostics: inout DiagnosticCollector) {
        for entry in entries where !valid.contains(entry.key) {
            diagnostics.add(
                Diagnostic(
                    "unknown key '\(entry.key)' in \(subject)", at: document.location(of: entry.keyNode),
                    hint: suggestion(for: entry.key, in: valid, noun: "keys")))
        }
    }

    package func entry(_ key: String) -> (key: String, keyNode: Node, value: Node)? {
        positions[key].map { entries[$0] }
    }

    /// The value of `key`; nil when the key is absent or its value is empty (`key:`, `~`, `null`).
    package func value(_ key: String) -> Node? {
        guard let value = entry(key)?.value, !isNull(value) else { return nil }
        return value
    }

    package func keyLocation(_ key: String) -> SourceLocation? { entry(key).map { document.location(of: $0.keyNode) } }

    /// Where a missing required key is reported: at the key if it is there with no value, else at the mapping.
    package func missingLocation(_ key: String) -> SourceLocation { keyLocation(key) ?? location }

    package func valueLocation(_ key: String) -> SourceLocation {
        value(key).map { document.location(of: $0) } ?? missingLocation(key)
    }

    /// Reports `key` as missing: "KPI 'x' has no 'value'".
    package func missing(_ key: String, hint: String, _ diagnostics: inout DiagnosticCollector) {
        diagnostics.add(Diagnostic("\(subject) has no '\(key)'", at: missingLocation(key), hint: hint))
    }

    // MARK: - Typed values

    package func string(_ key: String, _ diagnostics: inout DiagnosticCollector) -> String? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node else {
            diagnostics.add(
                Diagnostic("'\(key)' must be text; got \(describe(node))", at: document.location(of: node)))
            return nil
        }
        return scalar.string
    }

    package func int(
        _ key: String, atLeast minimum: Int, atMost maximum: Int = .max, _ diagnostics: inout DiagnosticCollector
    ) -> Int? {
        guard let node = value(key) else { return nil }
        if case .scalar(let scalar) = node, let number = Int(scalar.string.trimmingCharacters(in: .whitespaces)),
            number >= minimum, number <= maximum
        {
            return number
        }
        let range = maximum == .max ? "≥ \(minimum)" : "from \(minimum) to \(maximum)"
        diagnostics.add(
            Diagnostic(
                "'\(key)' must be a whole number \(range); got \(describe(node))", at: document.location(of: node)))
        return nil
    }

    /// A number within `range`: "'timeout' must be a number from 0.1 to 300; got '-1'".
    package func number(_ key: String, in range: ClosedRange<Double>, _ diagnostics: inout DiagnosticCollector)
        -> Double?
    {
        guard let node = value(key) else { return nil }
        if case .scalar(let scalar) = node, let number = Double(scalar.string.trimmingCharacters(in: .whitespaces)),
            range.contains(number)
        {
            return number
        }
        diagnostics.add(
            Diagnostic(
                "'\(key)' must be a number from \(formatted(range.lowerBound)) to \(formatted(range.upperBound)); got "
                    + describe(node), at: document.location(of: node)))
        return nil
    }

    private func formatted(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }

    package func bool(_ key: String, _ diagnostics: inout DiagnosticCollector) -> Bool? {
        guard let node = value(key) else { return nil }
        if case .scalar(let scalar) = node {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        diagnostics.add(
            Diagnostic("'\(key)' must be true or false; got \(describe(node))", at: document.location(of: node)))
        return nil
    }

    /// One of an enumeration's raw values: "'period' must be one of month, quarter, …; got 'monthly'".
    package func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, _ diagnostics: inout DiagnosticCollector
    ) -> Choice? where Choice.RawValue == String {
        guard let node = value(key) else { return nil }
        let valid = Choice.allCases.map(\.rawValue)
        if case .scalar(let scalar) = node, let choice = Choice(rawValue: scalar.string) { return choice }
        let near = node.scalar.flatMap { nearestName(to: $0.string, in: valid) }
        diagnostics.add(
            Diagnostic(
                "'\(key)' must be one of \(valid.joined(separator: ", ")); got \(describe(node))",
                at: document.location(of: node), hint: near.map { "did you mean '\($0)'?" }))
        return nil
    }

    /// An expression or a template, with the origin of its first character.
    package func text(_ key: String, isExpression: Bool, _ diagnostics: inout DiagnosticCollector) -> LocatedText? {
        guard let node = value(key) else { return nil }
        guard let text = document.locatedText(node, isExpression: isExpression) else {
            let what = isExpression ? "an expression" : "text"
            diagnostics.add(
                Diagnostic("'\(key)' must be \(what); got \(describe(node))", at: document.location(of: node)))
            return nil
        }
        return text
    }

    package func name(_ key: String, _ diagnostics: inout DiagnosticCollector) -> LocatedName? {
        guard let node = value(key), let text = string(key, &diagnostics) else { return nil }
        return LocatedName(text, at: document.location(of: node))
    }

    /// A list of names, or one name on its own (`group_by: team`).
    package func names(_ key: String, _ diagnostics: inout DiagnosticCollector) -> [LocatedName] {
        guard let node = value(key) else { return [] }
        return scalarList(node, key: key, &diagnostics).map {
            LocatedName($0.string, at: document.location(of: .scalar($0)))
        }
    }

    /// The scalars of a list, or the one scalar given on its own; anything else is reported.
    package func scalarList(_ node: Node, key: String, _ diagnostics: inout DiagnosticCollector) -> [Node.Scalar] {
        switch node {
        case .scalar(let scalar): return [scalar]
        case .sequence(let sequence):
            var scalars: [Node.Scalar] = []
            for item in sequence {
                if case .scalar(let scalar) = item {
                    scalars.append(scalar)
                } else {
                    diagnostics.add(
                        Diagnostic(
                            "each item of '\(key)' must be text; got \(describe(item))",
                            at: document.location(of: item)))
                }
            }
            return scalars
        default:
            diagnostics.add(
                Diagnostic(
                    "'\(key)' must be a list of text; got \(describe(node))", at: document.location(of: node)))
            return []
        }
    }

    /// The items of a list under `key`; a non-list is reported.
    package func list(_ key: String, _ diagnostics: inout DiagnosticCollector) -> [Node] {
        guard let node = value(key) else { return [] }
        guard case .sequence(let sequence) = node else {
            diagnostics.add(
                Diagnostic(
                    "'\(key)' must be a list (items starting with '- '); got \(describe(node))",
                    at: document.location(of: node)))
            return []
        }
        return Array(sequence)
    }

    package func mapping(_ key: String, subject: String, _ diagnostics: inout DiagnosticCollector) -> YAMLMapping? {
        guard let node = value(key) else { return nil }
        return YAMLMapping(node, in: document, subject: subject, &diagnostics)
    }
}

/// A YAML empty value: `key:` with nothing after it, `~` or `null`.
package func isNull(_ node: Node) -> Bool {
    guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
}

/// How an unexpected value reads in an error: the text itself, or what kind of thing it is.
package func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let scalar): return "'\(scalar.string)'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
}

/// Names used inside expressions (fields, benchmarks): `[A-Za-z_][A-Za-z0-9_]*`.
package func isIdentifier(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first == "_" || isASCIILetter(first) else { return false }
    return text.unicodeScalars.allSatisfy { $0 == "_" || isASCIILetter($0) || ("0"..."9").contains($0) }
}

private func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
}

/// Diagnostics in reading order: by file (in the order the files were read), then by line and column. A loader
/// checks keys in its own order, but a user fixes a file from top to bottom.
package func inReadingOrder(_ items: [Diagnostic]) -> [Diagnostic] {
    var fileRank: [String: Int] = [:]
    for item in items {
        let file = item.location?.file ?? item.place ?? ""
        if fileRank[file] == nil { fileRank[file] = fileRank.count }
    }
    func key(_ item: (offset: Int, element: Diagnostic)) -> [Int] {
        let location = item.element.location
        let rank = fileRank[location?.file ?? item.element.place ?? ""] ?? 0
        return [rank, location?.line ?? 0, location?.column ?? 0, item.offset]
    }
    return items.enumerated().sorted { key($0).lexicographicallyPrecedes(key($1)) }.map(\.element)
}
