import Foundation
import KPIWatchCore

/// What one request's answer means: done, worth another try, or final.
package enum AttemptVerdict: Sendable, Equatable {
    case success(Int)
    case retry(String, retryAfter: String?)
    case final(String)

    /// The rule both the webhook sink and the http source follow: a 2xx is done; a network error,
    /// 408, 429 or 5xx may succeed later; any other answer, or a transport error that would only
    /// repeat (an answer over the size limit), is final. `detail` adds to an error status's text.
    package static func judging(
        _ result: Result<HTTPResponse, TransportError>, detail: (HTTPResponse) -> String = { _ in "" }
    ) -> AttemptVerdict {
        let response: HTTPResponse
        switch result {
        case .failure(let error):
            return error.isWorthRetrying ? .retry(error.description, retryAfter: nil) : .final(error.description)
        case .success(let answer): response = answer
        }
        let status = response.status
        let retryAfter = response.header("Retry-After")
        switch status {
        case 200..<300: return .success(status)
        case 429: return .retry("HTTP 429 (rate limited)", retryAfter: retryAfter)
        case 408: return .retry("HTTP 408 (request timeout)", retryAfter: retryAfter)
        case 500..<600: return .retry("HTTP \(status)\(detail(response))", retryAfter: retryAfter)
        default: return .final("HTTP \(status)\(detail(response))")
        }
    }
}

/// Tries a request until an answer is done or final, backing off between tries (exponentially,
/// or as long as `Retry-After` asks, unless that is longer than a run waits).
package struct RetryLoop: Sendable {
    package var policy: RetryPolicy
    package var clock: DeliveryClock

    package enum Outcome: Sendable, Equatable {
        case succeeded(status: Int, attempts: Int)
        /// `reason` says what the last try got and, after several, how many were made.
        case failed(reason: String, attempts: Int)
    }

    package func run(_ attempt: () -> AttemptVerdict) -> Outcome {
        let maxAttempts = max(1, policy.maxAttempts)
        var lastProblem = "not attempted"
        var tries = 0
        while tries < maxAttempts {
            tries += 1
            switch attempt() {
            case .success(let status):
                return .succeeded(status: status, attempts: tries)
            case .final(let problem):
                return .failed(reason: problem, attempts: tries)
            case .retry(let problem, _) where tries == maxAttempts:
                lastProblem = problem
            case .retry(let problem, let retryAfterHeader):
                lastProblem = problem
                let wait: Double
                if let asked = RetryPolicy.retryAfter(retryAfterHeader, now: clock.now()) {
                    guard asked <= policy.maxDelay else {
                        let reason =
                            "\(problem); the service asked to wait \(Int(asked.rounded())) s, longer than a run waits"
                        return .failed(reason: reason, attempts: tries)
                    }
                    wait = asked
                } else {
                    wait = policy.backoff(afterAttempt: tries, random: clock.random())
                }
                clock.sleep(wait)
            }
        }
        let count = tries == 1 ? "1 attempt" : "\(tries) attempts"
        return .failed(reason: "\(lastProblem) (gave up after \(count))", attempts: tries)
    }

    package init(policy: RetryPolicy, clock: DeliveryClock) {
        self.policy = policy
        self.clock = clock
    }
}
