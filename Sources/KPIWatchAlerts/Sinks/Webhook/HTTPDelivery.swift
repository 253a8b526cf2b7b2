import Foundation
import KPIWatchCore
import KPIWatchHTTPClient

/// POSTs one message to one webhook, once, after waiting its turn behind the service's rate limit, and says what
/// the answer means: delivered (only a 2xx), worth another attempt (network errors, 408, 429, 5xx, and a rate-limit
/// answer hidden in a 200), or final (other 4xx). The pipeline's retry stage (`RetryingSink`) makes the further
/// attempts. A reason names status codes and error kinds, never the URL.
package struct HTTPDelivery: Sendable, CustomReflectable {
    package var url: URL
    package var timeout: Double
    /// Seconds between posts to the same `pacingKey` (the service's rate limit).
    package var minimumSpacing: Double
    package var pacingKey: String
    package var transport: any HTTPTransport
    package var clock: DeliveryClock
    package var pacer: PostPacer

    package init(
        url: URL, timeout: Double, minimumSpacing: Double = 0, pacingKey: String? = nil,
        transport: any HTTPTransport = URLSessionTransport(), clock: DeliveryClock = .system,
        pacer: PostPacer = .shared
    ) {
        self.url = url
        self.timeout = timeout
        self.minimumSpacing = minimumSpacing
        self.pacingKey = pacingKey ?? url.absoluteString
        self.transport = transport
        self.clock = clock
        self.pacer = pacer
    }

    // The default mirror would print the URL.
    package var customMirror: Mirror {
        Mirror(self, children: ["timeout": timeout, "minimumSpacing": minimumSpacing])
    }

    package func post(_ body: Data, headers: [String: String]) -> AttemptVerdict {
        pacer.waitTurn(for: pacingKey, spacing: minimumSpacing, clock: clock)
        switch Self.judge(transport.post(url: url, body: body, headers: headers, timeout: timeout)) {
        case .success(let status): return .success(status)
        case .retry(let reason, let retryAfter): return .retry(redact(reason), retryAfter: retryAfter)
        case .final(let reason): return .final(redact(reason))
        }
    }

    private func redact(_ text: String) -> String { Redaction.redact(text, url: url) }

    /// Sorts one answer into delivered, worth another try, or final: the shared rule, plus a
    /// rate limit hidden in a 200, and the start of an error body.
    package static func judge(_ result: Result<HTTPResponse, TransportError>) -> AttemptVerdict {
        if case .success(let response) = result, (200..<300).contains(response.status),
            isRateLimitBody(response.body)
        {
            return .retry(
                "HTTP \(response.status) answering 'rate_limited' (taken as 429)",
                retryAfter: response.header("Retry-After"))
        }
        return AttemptVerdict.judging(result) { bodyExcerpt($0.body) }
    }

    /// Slack answers a rate-limited webhook with 200 and `rate_limited` (as text or as
    /// `{"ok":false,"error":"rate_limited"}`); the old Office 365 connectors wrapped their 429 in a 200.
    package static func isRateLimitBody(_ body: Data) -> Bool {
        guard !body.isEmpty, body.count < 4096, let text = String(data: body, encoding: .utf8) else { return false }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed == "rate_limited" { return true }
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            object["error"] as? String == "rate_limited"
        {
            return true
        }
        return trimmed.contains("HTTP error 429")
    }

    /// The start of an error body (Slack says `invalid_payload`, Teams a short JSON error), on one
    /// line. The receiver wrote it, so control characters are escaped: it reaches the terminal
    /// through the run's summary and `kpiwatch outbox`.
    package static func bodyExcerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(600), as: UTF8.self)
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        guard !oneLine.isEmpty else { return "" }
        return ": " + ChatText.clip(oneLine, to: 200).escapingControlCharacters
    }
}
