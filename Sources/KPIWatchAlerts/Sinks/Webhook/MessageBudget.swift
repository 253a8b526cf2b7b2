import Foundation
import KPIWatchCore

/// A service's limits on one message, and the search for how many alerts fit under them. What
/// does not fit is counted in the message ("… and N more alerts not shown"), never dropped quietly.
package struct MessageBudget: Sendable, Equatable {
    /// Encoded body size in bytes, as `bodySize` counts them; nil for no limit.
    package var maxBytes: Int?
    /// How the body's bytes are counted against `maxBytes`.
    package var bodySize: BodySize = .utf8
    /// Blocks (Slack) or widgets (Google Chat) in one message; nil for no limit.
    package var maxBlocks: Int?
    /// UTF-16 code units in one text element (see `ChatText`); longer texts are clipped with `…`.
    package var maxTextLength: Int?
    /// Alerts shown in one message (the sink's `max_alerts`); nil for no limit.
    package var maxAlerts: Int?

    /// Teams rejects posts over about 28 KB, counted on the message it builds around the card (a
    /// card of 28,000 bytes came within 170 bytes of the limit). The margin: 24,000 bytes with
    /// every non-ASCII character counted as the `\uXXXX` escape a re-encoding JSON writer may
    /// turn it into.
    package static let teams = MessageBudget(maxBytes: 24_000, bodySize: .asciiEscapedJSON, maxTextLength: 2_000)
    /// Slack: 50 blocks, 3,000 characters in a section's text (the 40,000 of `text` is clipped separately).
    package static let slack = MessageBudget(maxBlocks: 50, maxTextLength: 3_000)
    /// Google Chat: 32,000 bytes per message, 100 widgets per card.
    package static let googleChat = MessageBudget(maxBytes: 32_000, maxBlocks: 100, maxTextLength: 4_000)
    package static let generic = MessageBudget()

    package static let slackFallbackLimit = 40_000
    package static let slackHeaderLimit = 150

    /// One rendering of a message that shows the first `shown` alerts.
    package struct Rendering {
        package var body: Data
        package var blocks: Int
    }

    package enum BodySize: Sendable, Equatable {
        /// The bytes as posted.
        case utf8
        /// The bytes with every non-ASCII character written as `\uXXXX` (a surrogate pair, 12
        /// bytes, above U+FFFF): the most a JSON re-encoding can make of the same text.
        case asciiEscapedJSON

        package func count(_ body: Data) -> Int {
            switch self {
            case .utf8: return body.count
            case .asciiEscapedJSON:
                var total = 0
                for byte in body {
                    switch byte {
                    case 0..<0x80: total += 1
                    case 0xC0..<0xF0: total += 6
                    case 0xF0...: total += 12
                    default: break  // a continuation byte: counted with its lead byte
                    }
                }
                return total
            }
        }
    }

    package func fits(_ rendering: Rendering) -> Bool {
        if let maxBytes, bodySize.count(rendering.body) > maxBytes { return false }
        if let maxBlocks, rendering.blocks > maxBlocks { return false }
        return true
    }

    /// The rendering that shows the most of `total` alerts while fitting. `render(k)` must grow
    /// with `k` (each alert adds to the message), which lets this search by halving.
    package func fit(total: Int, render: (Int) throws -> Rendering) rethrows -> (rendering: Rendering, shown: Int) {
        let ceiling = min(total, maxAlerts ?? total)
        let full = try render(ceiling)
        if fits(full) { return (full, ceiling) }
        var low = 0
        var high = ceiling - 1
        var best: (Rendering, Int)?
        while low <= high {
            let middle = (low + high) / 2
            let candidate = try render(middle)
            if fits(candidate) {
                best = (candidate, middle)
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        if let best { return best }
        // Not even the heading fits (a limit this small is a configuration error): send the
        // smallest message rather than nothing.
        return (try render(0), 0)
    }

    /// `text` escaped by `escape` and clipped to this service's text limit.
    package func clip(_ text: String, escape: (String) -> String = { $0 }) -> String {
        guard let maxTextLength else { return escape(text) }
        return ChatText.clip(text, to: maxTextLength, escape: escape)
    }

    package static func omittedNote(_ count: Int) -> String {
        "… and \(count) more alert\(count == 1 ? "" : "s") not shown"
    }
}
