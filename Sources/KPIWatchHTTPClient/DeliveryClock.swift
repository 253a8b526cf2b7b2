import Foundation
import KPIWatchCore

/// Time as requests with retries see it (webhook delivery, http sources): tests inject one that records the waits instead of sleeping, and
/// a fixed jitter so that backoff delays are exact.
package struct DeliveryClock: Sendable {
    package var now: @Sendable () -> Date
    package var sleep: @Sendable (Double) -> Void
    /// A number in 0..<1 that spreads retries of many runs apart.
    package var random: @Sendable () -> Double

    package static let system = DeliveryClock(
        now: { Date() },
        sleep: { seconds in if seconds > 0 { Thread.sleep(forTimeInterval: seconds) } },
        random: { Double.random(in: 0..<1) })
}
