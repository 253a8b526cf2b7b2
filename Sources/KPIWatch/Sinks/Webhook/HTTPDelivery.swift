import Foundation

/// How one POST ended after all its attempts. A reason names status codes and error kinds,
/// never the URL.
enum PostOutcome: Sendable, Equatable {
    case delivered(status: Int, attempts: Int)
    case failed(reason: String, attempts: Int)

    var attempts: Int {
        switch self {
        case .delivered(_, let attempts), .failed(_, let attempts): return attempts
        }
    }
}

/// POSTs one message to one webhook until a 2xx, retrying what may succeed later (network
/// errors, 408, 429, 5xx, and a rate-limit answer hidden in a 200) and giving up at once on
/// what will not (other 4xx). Only a 2xx counts as delivered.
struct HTTPDelivery: Sendable, CustomReflectable {
    var url: URL
    var timeout: Double
    var policy: RetryPolicy
    /// Seconds between posts to the same `pacingKey` (the service's rate limit).
    var minimumSpacing: Double
    var pacingKey: String
    var transport: any HTTPTransport
    var clock: DeliveryClock
    var pacer: PostPacer

    init(
        url: URL, timeout: Double, policy: RetryPolicy, minimumSpacing: Double = 0, pacingKey: String? = nil,
        transport: any HTTPTransport = URLSessionTransport(), clock: DeliveryClock = .system,
        pacer: PostPacer = .shared
    ) {
        self.url = url
        self.timeout = timeout
        self.policy = policy
        self.minimumSpacing = minimumSpacing
        self.pacingKey = pacingKey ?? url.absoluteString
        self.transport = transport
        self.clock = clock
        self.pacer = pacer
    }

    // The default mirror would print the URL.
    var customMirror: Mirror {
        Mirror(self, children: ["timeout": timeout, "policy": policy, "minimumSpacing": minimumSpacing])
    }

    func post(_ body: Data, headers: [String: String]) -> PostOutcome {
        let maxAttempts = max(1, policy.maxAttempts)
        var lastProblem = "not attempted"
        var attempt = 0
        while attempt < maxAttempts {
            attempt += 1
            pacer.waitTurn(for: pacingKey, spacing: minimumSpacing, clock: clock)
            let verdict = Self.judge(transport.post(url: url, body: body, headers: headers, timeout: timeout))
            switch verdict {
            case .success(let status):
                return .delivered(status: status, attempts: attempt)
            case .final(let problem):
                return .failed(reason: redact(problem), attempts: attempt)
            case .retry(let problem, _) where attempt == maxAttempts:
                lastProblem = problem
            case .retry(let problem, let retryAfterHeader):
                lastProblem = problem
                let wait: Double
                if let asked = RetryPolicy.retryAfter(retryAfterHeader, now: clock.now()) {
                    guard asked <= policy.maxDelay else {
                        let reason =
                            "\(problem); the service asked to wait \(Int(asked.rounded())) s, longer than a run waits"
                        return .failed(reason: redact(reason), attempts: attempt)
                    }
                    wait = asked
                } else {
                    wait = policy.backoff(afterAttempt: attempt, random: clock.random())
                }
                clock.sleep(wait)
            }
        }
        let tries = attempt == 1 ? "1 attempt" : "\(attempt) attempts"
        return .failed(reason: redact("\(lastProblem) (gave up after \(tries))"), attempts: attempt)
    }

    private func redact(_ text: String) -> String { Redaction.redact(text, url: url) }

    enum Verdict: Equatable {
        case success(Int)
        case retry(String, retryAfter: String?)
        case final(String)
    }

    /// Sorts one answer into delivered, worth another try, or final.
    static func judge(_ result: Result<HTTPResponse, TransportError>) -> Verdict {
        let response: HTTPResponse
        switch result {
        case .failure(let error): return .retry(error.description, retryAfter: nil)
        case .success(let answer): response = answer
        }
        let status = response.status
        let retryAfter = response.header("Retry-After")
        switch status {
        case 200..<300:
            if isRateLimitBody(response.body) {
                return .retry("HTTP \(status) answering 'rate_limited' (taken as 429)", retryAfter: retryAfter)
            }
            return .success(status)
        case 429: return .retry("HTTP 429 (rate limited)", retryAfter: retryAfter)
        case 408: return .retry("HTTP 408 (request timeout)", retryAfter: retryAfter)
        case 500..<600: return .retry("HTTP \(status)\(bodyExcerpt(response.body))", retryAfter: retryAfter)
        default: return .final("HTTP \(status)\(bodyExcerpt(response.body))")
        }
    }

    /// Slack answers a rate-limited webhook with 200 and `rate_limited` (as text or as
    /// `{"ok":false,"error":"rate_limited"}`); the old Office 365 connectors wrapped their 429 in a 200.
    static func isRateLimitBody(_ body: Data) -> Bool {
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

    /// The start of an error body (Slack says `invalid_payload`, Teams a short JSON error), on one line.
    static func bodyExcerpt(_ body: Data) -> String {
        guard let text = String(data: body.prefix(600), encoding: .utf8) else { return "" }
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        guard !oneLine.isEmpty else { return "" }
        return ": " + (oneLine.count > 200 ? String(oneLine.prefix(200)) + "…" : oneLine)
    }
}
