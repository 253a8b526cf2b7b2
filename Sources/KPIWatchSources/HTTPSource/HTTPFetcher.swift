import Foundation
import KPIWatchCore
import KPIWatchHTTPClient

/// One GET with URLSession, blocking until the answer (sources are read synchronously), tried
/// again on what may succeed later like the webhook sink: no answer, 408, 429 and 5xx, with
/// backoff or as long as `Retry-After` asks.
package struct HTTPFetcher: Sendable {
    package struct Page: Sendable {
        package var status: Int
        package var headers: [String: String]
        package var body: Data
    }

    package var timeout: Double
    /// Bytes of one answer's body; a longer one (or one that never ends) is cut off and refused.
    package var maxBytes: Int
    package var policy: RetryPolicy
    package var clock: DeliveryClock
    /// The dataset's `url:` in the project file: where errors point.
    package var location: SourceLocation
    /// The dataset's `max_bytes:` (or the dataset, when it is not set).
    package var maxBytesLocation: SourceLocation

    /// The 2xx answer to a GET of `url`.
    /// - Throws: a located `Diagnostic` that names `what` only: Foundation's own messages quote the URL.
    package func get(_ url: URL, headers: [String: String], what: String) throws -> Page {
        var fields = headers
        if !fields.keys.contains(where: { $0.lowercased() == "accept" }) { fields["Accept"] = "application/json" }
        var last: Result<HTTPResponse, TransportError>?
        let outcome = RetryLoop(policy: policy, clock: clock).run {
            let result = BlockingHTTP.send(
                method: "GET", url: url, headers: fields, timeout: timeout, maxResponseBytes: maxBytes)
            last = result
            return AttemptVerdict.judging(result)
        }
        switch (outcome, last) {
        case (.succeeded, .success(let response)?):
            return Page(status: response.status, headers: response.headers, body: response.body)
        case (.failed(let reason, _), .success(let response)?):
            throw Diagnostic("\(what): \(reason)", at: location, hint: Self.hint(forStatus: response.status))
        case (.failed(_, _), .failure(let error)?):
            if case .tooLarge(let limit) = error.kind {
                throw Diagnostic(
                    "\(what): the answer is larger than max_bytes (\(limit) bytes)", at: maxBytesLocation,
                    hint:
                        "raise max_bytes if the API really sends pages this large, or ask for smaller pages with pagination:"
                )
            }
            if case .failed(let reason, _) = outcome {
                throw Diagnostic("cannot read \(what): \(reason)", at: location)
            }
            throw Diagnostic("cannot read \(what)", at: location)
        default:
            throw Diagnostic("cannot read \(what): no answer", at: location)
        }
    }

    package static func hint(forStatus status: Int) -> String {
        switch status {
        case 401, 403: return "check the credentials under auth: (and that their ${env:…} variable is set)"
        case 404: return "check the url"
        case 300..<400:
            return "the API redirected to another host or scheme; kpiwatch sends credentials only to the url's own host"
        case 429: return "the API is rate-limiting; run less often or ask for a higher limit"
        case 500..<600: return "the API failed on every attempt; try again later, or raise max_attempts"
        default: return "the API refused the request"
        }
    }
}
