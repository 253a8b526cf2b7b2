import Foundation
import KPIWatchCore
import Yams

/// Checks a dataset's or sink's entry against the keys its registered type describes: a key it does not read, a
/// required key that is missing and a value of the wrong kind are each reported at their line and column. The same
/// check for a built-in type and for one registered from outside the library.
package struct AdapterKeyCheck {
    /// The type as written: `csv`, `webhook`.
    package var type: String
    /// `source` or `sink`.
    package var noun: String
    /// Keys every entry of the kind has, read by the loader or the delivery pipeline, not by the adapter.
    package var common: [String]
    package var keys: [AdapterKey]
    /// Keys other types of the kind read, to tell a key of another type from a misspelling.
    package var otherTypesKeys: [String]
    /// A plugin's manifest declares its keys: its factory checks those the descriptor does not list.
    package var factoryChecksOtherKeys: Bool

    /// "a csv source", "a webhook sink": how messages name the type.
    package var kind: String { "a \(type) \(noun)" }

    package func check(_ entry: YAMLMapping, _ diagnostics: inout DiagnosticCollector) {
        let own = keys.map(\.name)
        let valid = common + own
        if !factoryChecksOtherKeys {
            for item in entry.entries where !valid.contains(item.key) {
                let hint =
                    nearestName(to: item.key, in: valid).map { "did you mean '\($0)'?" }
                    ?? (otherTypesKeys.contains(item.key)
                        ? "\(kind) reads \(own.joined(separator: ", ")); '\(item.key)' belongs to other \(noun)s"
                        : suggestion(for: item.key, in: valid, noun: "keys"))
                diagnostics.add(
                    Diagnostic(
                        "unknown key '\(item.key)' in \(entry.subject)", at: entry.document.location(of: item.keyNode),
                        hint: hint))
            }
        }
        for key in keys {
            if entry.value(key.name) == nil {
                if key.required {
                    entry.missing(key.name, hint: "\(kind) needs '\(key.name)': \(key.doc)", &diagnostics)
                }
            } else {
                Self.checkValue(key, in: entry, &diagnostics)
            }
        }
    }

    /// The YAML helpers' messages, so that a key reads alike whichever adapter declares it.
    private static func checkValue(_ key: AdapterKey, in entry: YAMLMapping, _ diagnostics: inout DiagnosticCollector) {
        guard let node = entry.value(key.name) else { return }
        let name = key.name
        func wrong(_ expected: String, hint: String? = nil) {
            diagnostics.add(
                Diagnostic(
                    "'\(name)' must be \(expected); got \(describe(node))", at: entry.document.location(of: node),
                    hint: hint ?? "\(name): \(key.doc)"))
        }
        switch key.type {
        case .text:
            _ = entry.string(name, &diagnostics)
        case .bool:
            _ = entry.bool(name, &diagnostics)
        case .list:
            _ = entry.scalarList(node, key: name, &diagnostics)
        case .mapping:
            _ = entry.mapping(name, subject: "'\(name)'", &diagnostics)
        case .integer:
            if Int(node.scalar?.string.trimmingCharacters(in: .whitespaces) ?? "") == nil { wrong("a whole number") }
        case .number:
            if Double(node.scalar?.string.trimmingCharacters(in: .whitespaces) ?? "") == nil { wrong("a number") }
        case .duration:
            let text = node.scalar?.string.trimmingCharacters(in: .whitespaces) ?? ""
            if Double(text) == nil && DurationParser.seconds(text) == nil {
                wrong("a duration such as 30s, 2m or 1h")
            }
        case .oneOf(let values):
            if let text = node.scalar?.string, values.contains(text) { return }
            let near = node.scalar.flatMap { nearestName(to: $0.string, in: values) }
            wrong("one of \(values.joined(separator: ", "))", hint: near.map { "did you mean '\($0)'?" })
        }
    }
}
