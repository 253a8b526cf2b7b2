import Foundation
import KPIWatchCore
import KPIWatchHTTPClient

/// Keeps posts to one webhook at least the service's documented interval apart (Slack: one
/// message a second per webhook; Google Chat: one a second per space; Teams Workflows: about
/// four a second), so that a run with many groups is not answered with 429s. Shared by every
/// sink in the process, since two sinks may post to the same channel.
package final class PostPacer: @unchecked Sendable {
    package static let shared = PostPacer()

    private let lock = NSLock()
    /// Keyed by the webhook (or space) in memory only; never printed.
    private var nextSlot: [String: Date] = [:]

    /// Reserves the next slot for `key` and waits until it comes.
    package func waitTurn(for key: String, spacing: Double, clock: DeliveryClock) {
        guard spacing > 0 else { return }
        lock.lock()
        let now = clock.now()
        let start = max(now, nextSlot[key] ?? now)
        nextSlot[key] = start.addingTimeInterval(spacing)
        lock.unlock()
        let wait = start.timeIntervalSince(now)
        if wait > 0 { clock.sleep(wait) }
    }
}
