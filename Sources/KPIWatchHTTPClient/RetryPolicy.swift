import Foundation
import KPIWatchCore

/// When to try a POST again: exponential backoff with jitter, unless the service said when.
package struct RetryPolicy: Sendable, Equatable {
    package var maxAttempts: Int
    package var baseDelay: Double = 1
    package var factor: Double = 2
    /// No backoff wait exceeds this; a `Retry-After` beyond it ends the run's attempts, since a
    /// check run should not hang for long: what failed goes out again with the next run.
    package var maxDelay: Double = 60

    /// The wait after failed attempt `attempt` (1-based): base × factor^(attempt−1), capped, then
    /// "equal jitter": half of it fixed, the other half scaled by `random` (0..<1).
    package func backoff(afterAttempt attempt: Int, random: Double) -> Double {
        let raw = min(maxDelay, baseDelay * pow(factor, Double(max(0, attempt - 1))))
        return raw / 2 + raw / 2 * min(max(random, 0), 1)
    }

    /// `Retry-After` in seconds: a number of seconds, or an HTTP date (RFC 9110 §10.2.3: the IMF
    /// fixdate and the two obsolete forms) measured from `now`. Nil when absent or unreadable.
    package static func retryAfter(_ value: String?, now: Date) -> Double? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite { return max(0, seconds) }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return max(0, date.timeIntervalSince(now)) }
        }
        return nil
    }

    package init(maxAttempts: Int, baseDelay: Double = 1, factor: Double = 2, maxDelay: Double = 60) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.factor = factor
        self.maxDelay = maxDelay
    }
}
