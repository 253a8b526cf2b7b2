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

    /// Reads and checks the options with the project's YAML helpers, each problem at its value's line and column.
    /// The loader has checked the keys against `WebhookSink.descriptor`; this checks what they mean.
    package init(config: SinkConfig) throws {
        var problems = DiagnosticCollector()
        let document = try YAMLDocument(text: "", file: config.node.file)
        guard let options = YAMLMapping(config.node.node, in: document, subject: "a webhook sink", &problems) else {
            throw Diagnostics(problems.items)
        }

        var format = WebhookFormat.generic
        if let text = options.string("format", &problems) {
            if let known = WebhookFormat(rawValue: text) {
                format = known
            } else {
                problems.add(
                    Diagnostic(
                        "unknown webhook format '\(text)'", at: options.valueLocation("format"),
                        hint: suggestion(for: text, in: WebhookFormat.allCases.map(\.rawValue), noun: "formats")))
            }
        }
        self.format = format

        let allowHTTP = options.bool("allow_http", &problems) ?? false
        var url = URL(fileURLWithPath: "/")
        // The URL is read as written and never through a helper whose message would quote it.
        switch Self.checkURL(options.value("url")?.scalar?.string, allowHTTP: allowHTTP) {
        case .success(let checked): url = checked
        case .failure(let problem):
            problems.add(Diagnostic(problem.message, at: config.location, hint: problem.hint))
        }
        self.url = url

        self.name = options.string("name", &problems) ?? "webhook-\(format.rawValue)"
        self.groupBy = options.names("group_by", &problems).map(\.name)
        self.title = options.string("title", &problems)
        self.timeout = options.number("timeout", in: 0.1...300, &problems) ?? 10
        self.maxAttempts = options.int("max_attempts", atLeast: 1, atMost: 10, &problems) ?? 4
        self.maxAlerts = options.int("max_alerts", atLeast: 1, atMost: 10_000, &problems)

        // An empty value (an unset `${env:…}`) is a mistake to report, not "no secret".
        var secret: String?
        if let entry = options.entry("secret") {
            secret = isNull(entry.value) ? "" : options.string("secret", &problems)
        }
        if let secret {
            if secret.isEmpty {
                problems.add(
                    Diagnostic(
                        "the webhook 'secret' is empty", at: options.valueLocation("secret"),
                        hint: "check that the variable in secret: ${env:NAME} is set"))
            } else if format != .generic {
                problems.add(
                    Diagnostic(
                        "'secret' signs only the generic webhook format, not '\(format.rawValue)'",
                        at: options.valueLocation("secret"),
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
