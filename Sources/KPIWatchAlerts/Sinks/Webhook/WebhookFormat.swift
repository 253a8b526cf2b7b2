import Foundation
import KPIWatchCore

/// The services a webhook sink can post to, each with its message shape, size limits and rate limit.
public enum WebhookFormat: String, Sendable, CaseIterable {
    case teams
    case slack
    case googleChat = "google_chat"
    case generic

    package var budget: MessageBudget {
        switch self {
        case .teams: return .teams
        case .slack: return .slack
        case .googleChat: return .googleChat
        case .generic: return .generic
        }
    }

    /// Seconds between posts, from each service's documented limit: Slack one message a second
    /// per webhook, Google Chat one a second per space, Teams Workflows about four a second.
    package var minimumSpacing: Double {
        switch self {
        case .teams: return 0.25
        case .slack, .googleChat: return 1
        case .generic: return 0
        }
    }

    /// What the rate limit is counted against: Google Chat counts per space (the URL's path; its
    /// query holds the key and token of one webhook), the others per webhook.
    package func pacingKey(for url: URL) -> String {
        guard self == .googleChat, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            return url.absoluteString
        }
        components.query = nil
        return components.string ?? url.absoluteString
    }
}
