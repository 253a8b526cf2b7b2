import Foundation
import KPIWatchCore
import KPIWatchEngine
import Yams

/// A webhook sink's options, read from its `sinks:` entry and checked: every problem is reported
/// (not only the first), and no message ever quotes the URL, which is a secret.
package struct WebhookOptions: Sendable {
    package var name: String
    package var url: URL
    package var format: WebhookFormat
    package var groupBy: [String]
    package var timeout: Double
    package var maxAttempts: Int
    package var maxAlerts: Int?
    package var secret: String?
    package var title: String?

    /// The keys a webhook sink reads.
    package static let ownKeys = [
        "url", "format", "group_by", "timeout", "max_attempts", "max_alerts", "secret", "title", "allow_http",
    ]

    package init(config: SinkConfig) throws {
        let reader = OptionReader(config: config)
        var problems = DiagnosticCollector()

        let validKeys = Self.ownKeys + WebhookSink.sharedKeys
        for (key, location) in reader.keys where !validKeys.contains(key) {
            problems.add(
                Diagnostic(
                    "unknown option '\(key)' for a webhook sink", at: location,
                    hint: suggestion(for: key, in: validKeys, noun: "options")))
        }

        var format = WebhookFormat.generic
        if let text = problems.capture({ try reader.string("format") }) ?? nil {
            if let known = WebhookFormat(rawValue: text) {
                format = known
            } else {
                problems.add(
                    Diagnostic(
                        "unknown webhook format '\(text)'", at: reader.location(of: "format"),
                        hint: suggestion(for: text, in: WebhookFormat.allCases.map(\.rawValue), noun: "formats")))
            }
        }
        self.format = format

        let allowHTTP = (problems.capture { try reader.bool("allow_http") } ?? nil) ?? false
        var url = URL(fileURLWithPath: "/")
        switch Self.checkURL(reader.rawString("url"), allowHTTP: allowHTTP) {
        case .success(let checked): url = checked
        case .failure(let problem):
            problems.add(Diagnostic(problem.message, at: config.location, hint: problem.hint))
        }
        self.url = url

        self.name = (problems.capture { try reader.string("name") } ?? nil) ?? "webhook-\(format.rawValue)"
        self.groupBy = problems.capture { try reader.stringList("group_by") } ?? []
        self.title = problems.capture { try reader.string("title") } ?? nil
        self.timeout = (problems.capture { try reader.number("timeout", in: 0.1...300) } ?? nil) ?? 10
        self.maxAttempts = (problems.capture { try reader.integer("max_attempts", in: 1...10) } ?? nil) ?? 4
        self.maxAlerts = problems.capture { try reader.integer("max_alerts", in: 1...10_000) } ?? nil

        let secret = problems.capture { try reader.string("secret") } ?? nil
        if let secret {
            if secret.isEmpty {
                problems.add(
                    Diagnostic(
                        "the webhook 'secret' is empty", at: reader.location(of: "secret"),
                        hint: "check that the variable in secret: ${env:NAME} is set"))
            } else if format != .generic {
                problems.add(
                    Diagnostic(
                        "'secret' signs only the generic webhook format, not '\(format.rawValue)'",
                        at: reader.location(of: "secret"),
                        hint: "remove secret:, or use format: generic"))
            }
        }
        self.secret = secret?.isEmpty == false ? secret : nil

        if problems.items.count == 1 { throw problems.items[0] }
        try problems.throwIfAny()
    }

    package struct URLProblem: Error {
        package var message: String
        package var hint: String
    }

    /// The URL if it is one a webhook may post to. Problems describe the URL, never quote it.
    package static func checkURL(_ text: String?, allowHTTP: Bool) -> Result<URL, URLProblem> {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .failure(
                URLProblem(
                    message: "webhook sink has no 'url'",
                    hint: "set url: ${env:NAME}, so that the webhook URL stays out of the project file"))
        }
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme?.lowercased(),
            let host = url.host, !host.isEmpty
        else {
            return .failure(
                URLProblem(
                    message: "webhook sink's url is not a valid absolute URL",
                    hint: "expected https://host/path (the value is not shown because it may hold a secret)"))
        }
        switch scheme {
        case "https":
            return .success(url)
        case "http" where allowHTTP:
            return .success(url)
        case "http":
            return .failure(
                URLProblem(
                    message: "webhook sink's url uses plain http, which would send alerts and the URL unencrypted",
                    hint: "use an https URL, or set allow_http: true for a relay on this machine or network"))
        default:
            return .failure(
                URLProblem(
                    message: "webhook sink's url is not an https URL",
                    hint: "expected https://host/path (the value is not shown because it may hold a secret)"))
        }
    }
}

/// Reads typed options from a sink's YAML mapping, with errors at the value's own position.
package struct OptionReader {
    package var config: SinkConfig

    private var mapping: Node.Mapping? {
        if case .mapping(let mapping) = config.node.node { return mapping }
        return nil
    }

    package var keys: [(String, SourceLocation)] {
        guard let mapping else { return [] }
        return mapping.compactMap { key, _ in key.string.map { ($0, location(of: key)) } }
    }

    package func node(_ key: String) -> Node? { mapping?[key] }

    package func location(of key: String) -> SourceLocation {
        guard let node = node(key) else { return config.location }
        return location(of: node)
    }

    package func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return config.location }
        return SourceLocation(file: config.node.file, line: mark.line, column: mark.column)
    }

    /// The scalar as written, without type checks (for the URL, whose text must never be echoed).
    package func rawString(_ key: String) -> String? { node(key)?.scalar?.string }

    package func string(_ key: String) throws -> String? {
        guard let node = node(key) else { return nil }
        guard let scalar = node.scalar else {
            throw Diagnostic("'\(key)' must be a text value", at: location(of: node), hint: "write \(key): \"…\"")
        }
        return scalar.string
    }

    package func bool(_ key: String) throws -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw Diagnostic(
                "'\(key)' must be true or false, not '\(text)'", at: location(of: key),
                hint: "valid values: true, false")
        }
    }

    package func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let text = try string(key) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            throw Diagnostic(
                "'\(key)' must be a number of seconds from \(ValueText.trimmed(range.lowerBound, decimals: 1)) to "
                    + "\(ValueText.trimmed(range.upperBound, decimals: 0)), not '\(text)'",
                at: location(of: key), hint: "for example \(key): 10")
        }
        return value
    }

    package func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Diagnostic(
                "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'",
                at: location(of: key), hint: "for example \(key): \(range.lowerBound + 3)")
        }
        return value
    }

    /// A list of names, or one name on its own.
    package func stringList(_ key: String) throws -> [String] {
        guard let node = node(key) else { return [] }
        if let scalar = node.scalar { return scalar.string.isEmpty ? [] : [scalar.string] }
        guard let sequence = node.sequence else {
            throw Diagnostic(
                "'\(key)' must be a list of names", at: location(of: node), hint: "for example \(key): [team]")
        }
        return try sequence.map { item in
            guard let text = item.scalar?.string, !text.isEmpty else {
                throw Diagnostic(
                    "'\(key)' must list names of alert labels or group fields", at: location(of: item),
                    hint: "for example \(key): [team]")
            }
            return text
        }
    }
}
