import Foundation
import KPIWatchCore
import KPIWatchEngine
import Yams

/// A dataset's or sink's YAML entry as the JSON object a plugin reads on its standard input.
package enum PluginOptions {
    /// The entry's keys except `excluded`, with `${env:…}` already expanded. Plain scalars are typed
    /// as YAML reads them (`25` a number, `true` a boolean, `~` null); quoted ones stay strings.
    package static func object(_ node: Node, excluding excluded: Set<String>) -> [(String, JSONValue)] {
        guard case .mapping(let mapping) = node else { return [] }
        return mapping.compactMap { key, value in
            guard let name = key.scalar?.string, !excluded.contains(name) else { return nil }
            return (name, json(value))
        }
    }

    package static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain || scalar.style == .any else { return .string(scalar.string) }
            let text = scalar.string
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: break
            }
            if let int = Int(text) { return .int(int) }
            if let number = Double(text), text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }),
                number.isFinite
            {
                return .number(number)
            }
            return .string(text)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .mapping(let mapping):
            return .object(mapping.compactMap { key, value in key.scalar.map { ($0.string, json(value)) } })
        case .alias:
            return .null
        }
    }

    /// Keys the entry has that the manifest does not document, when it documents any.
    package static func undocumentedKeys(
        _ node: Node, manifest: PluginManifest, common: [String], file: String
    ) -> [Diagnostic] {
        guard !manifest.options.isEmpty, case .mapping(let mapping) = node else { return [] }
        let valid = common + manifest.options.map(\.name)
        var found: [Diagnostic] = []
        for key in mapping.keys {
            guard let name = key.scalar?.string, !valid.contains(name) else { continue }
            found.append(
                Diagnostic(
                    "plugin '\(manifest.name)' reads no key '\(name)'",
                    at: SourceLocation(file: file, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1),
                    hint: suggestion(for: name, in: manifest.options.map(\.name), noun: "keys of this plugin")))
        }
        let present = Set(mapping.keys.compactMap { $0.scalar?.string })
        for option in manifest.options where option.required && !present.contains(option.name) {
            found.append(
                Diagnostic(
                    "plugin '\(manifest.name)' needs '\(option.name)'",
                    at: SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1),
                    hint: option.description.isEmpty ? nil : "\(option.name): \(option.description)"))
        }
        return found
    }
}
