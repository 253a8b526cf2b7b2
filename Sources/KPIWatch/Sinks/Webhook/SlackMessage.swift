/// A Slack incoming-webhook post: `text` (the fallback for notifications) and Block Kit
/// `blocks`. Alert text is escaped for mrkdwn, so data can never ping `<!channel>` or forge a link.
struct SlackMessage: Encodable, Equatable {
    var text: String
    var blocks: [Block]

    init(text: String, blocks: [Block]) {
        self.text = text
        self.blocks = blocks
    }

    /// The message for a batch showing its first `shown` alerts: a header, a context line with
    /// the counts, then per alert a section (badge, title, message) and a context line of facts.
    init(batch: WebhookBatch, shown: Int, budget: MessageBudget) {
        var blocks: [Block] = [
            .header(MessageBudget.clip(batch.heading, to: MessageBudget.slackHeaderLimit)),
            .context([Self.escape(batch.summary)]),
        ]
        for digest in batch.digests.prefix(shown) {
            let heading = "\(Self.emoji(for: digest)) *\(digest.badge)* · *\(Self.escape(digest.title))*"
            blocks.append(.section(Self.fit(heading, Self.escape(digest.message), budget: budget)))
            let facts = digest.facts.map { "*\(Self.escape($0.name)):* \(Self.escape($0.value))" }
            blocks.append(.context([Self.fit("", facts.joined(separator: "  ·  "), budget: budget)]))
        }
        let omitted = batch.digests.count - shown
        if omitted > 0 { blocks.append(.context([MessageBudget.omittedNote(omitted)])) }
        self.init(
            text: MessageBudget.clip(batch.fallbackText, to: MessageBudget.slackFallbackLimit), blocks: blocks)
    }

    /// A text element of at most the budget's length: the escaped body is clipped, never the
    /// heading, and never in the middle of an `&amp;`.
    static func fit(_ heading: String, _ escapedBody: String, budget: MessageBudget) -> String {
        let joined = heading.isEmpty ? escapedBody : heading + "\n" + escapedBody
        guard let limit = budget.maxTextLength, joined.count > limit else { return joined }
        var body = String(escapedBody.prefix(max(0, limit - heading.count - 2)))
        if let amp = body.lastIndex(of: "&"), !body[amp...].contains(";") { body = String(body[..<amp]) }
        return (heading.isEmpty ? "" : heading + "\n") + body + "…"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func emoji(for digest: AlertDigest) -> String {
        if digest.status == .resolved { return ":white_check_mark:" }
        switch digest.severity {
        case "critical": return ":red_circle:"
        case "warning": return ":warning:"
        default: return ":grey_question:"
        }
    }

    /// The Block Kit blocks kpiwatch uses.
    enum Block: Encodable, Equatable {
        case header(String)
        case section(String)
        /// Up to ten mrkdwn elements.
        case context([String])
        case divider

        private enum CodingKeys: String, CodingKey {
            case type, text, elements
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .header(let text):
                try container.encode("header", forKey: .type)
                try container.encode(Text(type: "plain_text", text: text, emoji: true), forKey: .text)
            case .section(let text):
                try container.encode("section", forKey: .type)
                try container.encode(Text(type: "mrkdwn", text: text), forKey: .text)
            case .context(let texts):
                try container.encode("context", forKey: .type)
                try container.encode(texts.prefix(10).map { Text(type: "mrkdwn", text: $0) }, forKey: .elements)
            case .divider:
                try container.encode("divider", forKey: .type)
            }
        }
    }

    /// A Block Kit text object.
    struct Text: Encodable, Equatable {
        var type: String
        var text: String
        var emoji: Bool?
    }
}
