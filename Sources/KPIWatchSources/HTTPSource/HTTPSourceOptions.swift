import Foundation
import KPIWatchCore
import KPIWatchEngine
import Yams

/// The options of `source: http`, read from the dataset's YAML and checked.
package struct HTTPSourceOptions: Sendable {
    package enum Pagination: Sendable, Equatable {
        case none
        /// A key path in the body holding the next page's URL (absolute, or relative to the page's).
        case nextLink(String)
        /// `?page=1`, `?page=2`, … until a page has no records.
        case pageNumber(parameter: String, start: Int, sizeParameter: String?, size: Int?)
        /// RFC 8288 `Link: <…>; rel="next"`.
        case linkHeader
    }

    package var url: URL
    package var records: String?
    package var headers: [String: String]
    package var pagination: Pagination
    package var timeout: Double
    package var maxPages: Int
    package var allowHTTP: Bool
    /// Bytes of one page's body, so that an answer that never ends cannot fill the memory.
    package var maxBytes: Int
    package var maxAttempts: Int
    /// The `url:` in the project file: where errors while reading point.
    package var location: SourceLocation
    package var maxBytesLocation: SourceLocation

    package static let defaultTimeout = 30.0
    package static let defaultMaxBytes = 50_000_000
    package static let defaultMaxAttempts = 4

    package init(dataset: DatasetConfig) throws {
        var diagnostics = DiagnosticCollector()
        let node = dataset.node
        func at(_ key: String) -> SourceLocation { dataset.optionLocation(key) }
        func mapping(_ value: Node?) -> [(String, Node)] {
            guard case .mapping(let mapping)? = value else { return [] }
            return mapping.compactMap { key, value in key.scalar.map { ($0.string, value) } }
        }
        let entries = Dictionary(mapping(node.node), uniquingKeysWith: { a, _ in a })

        location = dataset.optionLocation("url")
        maxBytesLocation = dataset.optionLocation("max_bytes")
        allowHTTP = entries["allow_http"]?.scalar.map { ["true", "True", "TRUE"].contains($0.string) } ?? false
        let written = dataset.option("url") ?? ""
        let parsed = URL(string: written)
        if let parsed, let scheme = parsed.scheme?.lowercased(), parsed.host != nil,
            scheme == "https" || (scheme == "http" && allowHTTP)
        {
            url = parsed
        } else {
            url = URL(string: "https://invalid.invalid/")!
            let isHTTP = parsed?.scheme?.lowercased() == "http"
            diagnostics.add(
                Diagnostic(
                    isHTTP
                        ? "dataset '\(dataset.name)': the url is plain http, which sends data and credentials unencrypted"
                        : "dataset '\(dataset.name)': url must be an https:// address",
                    at: at("url"),
                    hint: isHTTP
                        ? "use https://, or set allow_http: true for a server on a trusted network"
                        : "e.g. url: https://portal.example.gov.uk/api/cases"))
        }
        records = dataset.option("records").flatMap { $0.isEmpty ? nil : $0 }

        headers = [:]
        for (name, value) in mapping(entries["headers"]) {
            if let text = value.scalar?.string { headers[name] = text }
        }
        if let auth = entries["auth"] {
            let parts = Dictionary(mapping(auth), uniquingKeysWith: { a, _ in a })
            if let bearer = parts["bearer"]?.scalar?.string, parts.count == 1 {
                headers["Authorization"] = "Bearer \(bearer)"
            } else if let basic = parts["basic"], parts.count == 1 {
                let fields = Dictionary(mapping(basic), uniquingKeysWith: { a, _ in a })
                let user = fields["username"]?.scalar?.string
                let password = fields["password"]?.scalar?.string ?? ""
                if let user {
                    headers["Authorization"] = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
                } else {
                    diagnostics.add(
                        Diagnostic(
                            "dataset '\(dataset.name)': auth basic needs username and password", at: at("auth"),
                            hint: "auth: { basic: { username: svc-kpiwatch, password: \"${env:PORTAL_PASSWORD}\" } }"))
                }
            } else {
                diagnostics.add(
                    Diagnostic(
                        "dataset '\(dataset.name)': auth must be { bearer: TOKEN } or { basic: { username, password } }",
                        at: at("auth"), hint: "auth: { bearer: \"${env:PORTAL_TOKEN}\" }"))
            }
        }

        pagination = .none
        if let node = entries["pagination"] {
            let parts = Dictionary(mapping(node), uniquingKeysWith: { a, _ in a })
            if let next = parts["next"]?.scalar?.string {
                pagination = .nextLink(next)
            } else if let parameter = parts["page_param"]?.scalar?.string {
                pagination = .pageNumber(
                    parameter: parameter, start: parts["start"]?.scalar.flatMap { Int($0.string) } ?? 1,
                    sizeParameter: parts["size_param"]?.scalar?.string,
                    size: parts["size"]?.scalar.flatMap { Int($0.string) })
            } else if parts["link_header"]?.scalar?.string == "true" {
                pagination = .linkHeader
            } else {
                diagnostics.add(
                    Diagnostic(
                        "dataset '\(dataset.name)': pagination must be { next: KEY.PATH }, { page_param: page, … } "
                            + "or { link_header: true }", at: at("pagination"),
                        hint:
                            "e.g. pagination: { next: links.next } or { page_param: page, start: 1, size_param: per_page, size: 100 }"
                    ))
            }
        }

        timeout = Self.defaultTimeout
        if let text = dataset.option("timeout") {
            if let seconds = Double(text).flatMap({ $0 > 0 ? $0 : nil }) ?? DurationParser.seconds(text) {
                timeout = seconds
            } else {
                diagnostics.add(
                    Diagnostic(
                        "dataset '\(dataset.name)': timeout must be a duration such as 30s or 2m; got '\(text)'",
                        at: at("timeout")))
            }
        }
        func wholeNumber(_ key: String, in range: ClosedRange<Int>, default value: Int) -> Int {
            guard let text = dataset.option(key) else { return value }
            if let number = Int(text), range.contains(number) { return number }
            let bounds =
                range.upperBound == .max ? "≥ \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            diagnostics.add(
                Diagnostic(
                    "dataset '\(dataset.name)': \(key) must be a whole number \(bounds); got '\(text)'", at: at(key),
                    hint: "the default is \(key): \(value)"))
            return value
        }
        maxPages = wholeNumber("max_pages", in: 1...Int.max, default: 1000)
        maxBytes = wholeNumber("max_bytes", in: 1...Int.max, default: Self.defaultMaxBytes)
        maxAttempts = wholeNumber("max_attempts", in: 1...10, default: Self.defaultMaxAttempts)
        try diagnostics.throwIfAny()
    }

    /// scheme://host[:port]/path: what messages may show. Never the query string or credentials.
    package static func origin(of url: URL) -> String {
        var text = "\(url.scheme ?? "https")://\(url.host ?? "")"
        if let port = url.port { text += ":\(port)" }
        return text + (url.path.isEmpty ? "/" : url.path)
    }
}
