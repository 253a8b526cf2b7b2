import Foundation
import KPIWatchCore

/// A webhook URL is a bearer secret: whoever has it can post to the channel. Every text that can
/// reach a log, a report or the terminal goes through here first.
package enum Redaction {
    package static let placeholder = "<webhook url>"

    /// `text` with every spelling of `url` that an error might carry (whole, percent-decoded,
    /// without its scheme, its path and query on their own) replaced by `<webhook url>`.
    package static func redact(_ text: String, url: URL) -> String {
        var secrets: [String] = [url.absoluteString]
        if let decoded = url.absoluteString.removingPercentEncoding { secrets.append(decoded) }
        if let schemeEnd = url.absoluteString.range(of: "://") {
            secrets.append(String(url.absoluteString[schemeEnd.upperBound...]))
        }
        if let components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            let path = components.percentEncodedPath
            let query = components.percentEncodedQuery ?? ""
            if path.count > 1 { secrets.append(query.isEmpty ? path : path + "?" + query) }
            if path.count > 1 { secrets.append(path) }
            if let decodedPath = path.removingPercentEncoding, decodedPath.count > 1 { secrets.append(decodedPath) }
            if !query.isEmpty { secrets.append(query) }
        }
        var result = text
        // Longest first, so that a shorter piece never leaves the rest of a longer one behind.
        for secret in Set(secrets).sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            result = result.replacingOccurrences(of: secret, with: placeholder)
        }
        return result
    }
}
