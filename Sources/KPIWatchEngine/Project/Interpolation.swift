import Foundation
import KPIWatchCore
import Yams

/// `${env:NAME}` and `${file:PATH}` inside the project file's strings, so that secrets such as webhook URLs stay out
/// of the file. `$${` stands for a literal `${`.
public enum Interpolation {
    /// `text` with every reference replaced. `directory` is what `${file:…}` paths are relative to.
    public static func expand(
        _ text: String, environment: [String: String], directory: String
    ) throws(InterpolationError) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let afterDollar = rest[rest.index(after: dollar)...]
            if afterDollar.hasPrefix("${") {
                result += "${"
                rest = afterDollar.dropFirst(2)
                continue
            }
            guard afterDollar.hasPrefix("{") else {
                result += "$"
                rest = afterDollar
                continue
            }
            guard let close = afterDollar.firstIndex(of: "}") else {
                throw .unterminated(String(rest[dollar...]))
            }
            let reference = afterDollar[afterDollar.index(after: afterDollar.startIndex)..<close]
            result += try value(of: String(reference), environment: environment, directory: directory)
            rest = afterDollar[afterDollar.index(after: close)...]
        }
        return result + rest
    }

    private static func value(
        of reference: String, environment: [String: String], directory: String
    ) throws(InterpolationError) -> String {
        if reference.hasPrefix("env:") {
            let name = String(reference.dropFirst(4))
            guard !name.isEmpty else { throw .unknownReference(reference) }
            guard let value = environment[name] else { throw .missingVariable(name) }
            return value
        }
        if reference.hasPrefix("file:") {
            let path = String(reference.dropFirst(5))
            guard !path.isEmpty else { throw .unknownReference(reference) }
            let resolved = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
            guard let data = FileManager.default.contents(atPath: resolved),
                var text = String(data: data, encoding: .utf8)
            else {
                throw .unreadableFile(path, resolved: resolved)
            }
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return text
        }
        throw .unknownReference(reference)
    }

    /// `node` with every reference replaced, except in the values of the top-level keys `skippingTopLevel`.
    package static func expand(
        _ node: Node, in document: YAMLDocument, environment: [String: String], directory: String,
        skippingTopLevel skipped: Set<String>, _ diagnostics: inout DiagnosticCollector
    ) -> Node {
        guard !skipped.isEmpty, case .mapping(let mapping) = node else {
            return expand(node, in: document, environment: environment, directory: directory, &diagnostics)
        }
        let pairs = mapping.map { pair in
            guard let key = pair.key.scalar?.string, !skipped.contains(key) else { return pair }
            return (
                pair.key, expand(pair.value, in: document, environment: environment, directory: directory, &diagnostics)
            )
        }
        return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
    }

    /// `node` with every string scalar expanded; each failure is reported at its scalar and the scalar is kept as
    /// written. Keys are left alone: they are names, not values.
    package static func expand(
        _ node: Node, in document: YAMLDocument, environment: [String: String], directory: String,
        _ diagnostics: inout DiagnosticCollector
    ) -> Node {
        switch node {
        case .scalar(let scalar):
            guard scalar.string.contains("$") else { return node }
            do {
                let text = try expand(scalar.string, environment: environment, directory: directory)
                return .scalar(Node.Scalar(text, scalar.tag, scalar.style, scalar.mark))
            } catch {
                diagnostics.add(Diagnostic(error.message, at: document.location(of: node), hint: error.hint))
                return node
            }
        case .mapping(let mapping):
            let pairs = mapping.map { pair in
                (
                    pair.key,
                    expand(pair.value, in: document, environment: environment, directory: directory, &diagnostics)
                )
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            let items = sequence.map {
                expand($0, in: document, environment: environment, directory: directory, &diagnostics)
            }
            return .sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark))
        case .alias:
            return node
        }
    }
}

/// Why a `${…}` reference could not be replaced.
public enum InterpolationError: Error, Sendable, Equatable {
    case missingVariable(String)
    case unreadableFile(String, resolved: String)
    case unknownReference(String)
    case unterminated(String)

    public var message: String {
        switch self {
        case .missingVariable(let name): return "environment variable \(name) is not set"
        case .unreadableFile(let path, _): return "file '\(path)' named by ${file:\(path)} cannot be read"
        case .unknownReference(let reference): return "unknown reference '${\(reference)}'"
        case .unterminated(let text): return "'\(text)' has no closing '}'"
        }
    }

    public var hint: String {
        switch self {
        case .missingVariable(let name):
            return "set \(name) in the environment kpiwatch runs in, or write the value in place of ${env:\(name)}"
        case .unreadableFile(_, let resolved):
            return "paths in ${file:…} are relative to the project file; looked for \(resolved)"
        case .unknownReference, .unterminated:
            return "write ${env:NAME} or ${file:PATH}; write $${ for a literal ${"
        }
    }
}
