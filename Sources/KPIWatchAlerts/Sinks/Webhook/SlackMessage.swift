import KPIWatchCore

/// A Slack incoming-webhook post: `text` (the fallback for notifications) and Block Kit
/// `blocks`. Every mrkdwn text from an alert (the fallback `text` included) has `&`, `<` and `>`
/// as entities, so data can never ping `<!channel>` or forge a link, and mrkdwn text objects are
/// `verbatim`, so Slack does not turn names in the data into links or mentions either. The header
/// is `plain_text`, in which Slack parses no markup.
package struct SlackMessage: Encodable, Equatable {
    package var text: String
    package var blocks: [Block]

    package init(text: String, blocks: [Block]) {
        self.text = text
        self.blocks = blocks
    }

    /// UTF-16 units of an alert's title in its section, leaving the rest to the message.
    package static let titleLimit = 300
    package static let factNameLimit = 100
    package static let factValueLimit = 500

    /// The message for a batch showing its first `shown` alerts: a header, a context line with
    /// the counts, then per alert a section (badge, title, message) and a context line of facts.
    package init(batch: WebhookBatch, shown: Int, budget: MessageBudget) {
        let limit = budget.maxTextLength ?? Int.max
        var blocks: [Block] = [
            .header(ChatText.clip(batch.heading, to: MessageBudget.slackHeaderLimit)),
            .context([ChatText.clip(batch.summary, to: limit, escape: ChatText.entities)]),
        ]
        for digest in batch.digests.prefix(shown) {
            let title = ChatText.clip(digest.title, to: Self.titleLimit, escape: ChatText.entities)
            var section = "\(Self.emoji(for: digest)) *\(ChatText.entities(digest.badge))* · *\(title)*"
            if !digest.message.isEmpty {
                let room = limit - ChatText.length(section) - 1
                section += "\n" + ChatText.clip(digest.message, to: room, escape: ChatText.entities)
            }
            blocks.append(.section(section))
            blocks.append(.context([Self.factLine(digest.facts, limit: limit)]))
        }
        let omitted = batch.digests.count - shown
        if omitted > 0 { blocks.append(.context([MessageBudget.omittedNote(omitted)])) }
        self.init(
            text: ChatText.clip(batch.fallbackText, to: MessageBudget.slackFallbackLimit, escape: ChatText.entities),
            blocks: blocks)
    }

    /// `*name:* value  ·  …`, as many whole facts as fit in `limit`, then `…`.
    package static func factLine(_ facts: [AlertDigest.Fact], limit: Int) -> String {
        let separator = "  ·  "
        var line = ""
        for fact in facts {
            let name = ChatText.clip(fact.name, to: factNameLimit, escape: ChatText.entities)
            let value = ChatText.clip(fact.value, to: factValueLimit, escape: ChatText.entities)
            let piece = (line.isEmpty ? "" : separator) + "*\(name):* \(value)"
            if ChatText.length(line) + ChatText.length(piece) + ChatText.length(ChatText.ellipsis) > limit {
                return line + (line.isEmpty ? "" : " ") + ChatText.ellipsis
            }
            line += piece
        }
        return line
    }

    package static func emoji(for digest: AlertDigest) -> String {
        if digest.status == .resolved { return ":white_check_mark:" }
        switch digest.severity {
        case .critical: return ":red_circle:"
        case .warning: return ":warning:"
        case .unknown: return ":grey_question:"
        }
    }

    /// The Block Kit blocks kpiwatch uses.
    package enum Block: Encodable, Equatable {
        case header(String)
        case section(String)
        /// Up to ten mrkdwn elements.
        case context([String])
        case divider

        private enum CodingKeys: String, CodingKey {
            case type, text, elements
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .header(let text):
                try container.encode("header", forKey: .type)
                try container.encode(Text(type: "plain_text", text: text, emoji: true), forKey: .text)
            case .section(let text):
                try container.encode("section", forKey: .type)
                try container.encode(Text(type: "mrkdwn", text: text, verbatim: true), forKey: .text)
            case .context(let texts):
                try container.encode("context", forKey: .type)
                try container.encode(
                    texts.prefix(10).map { Text(type: "mrkdwn", text: $0, verbatim: true) }, forKey: .elements)
            case .divider:
                try container.encode("divider", forKey: .type)
            }
        }
    }

    /// A Block Kit text object.
    package struct Text: Encodable, Equatable {
        package var type: String
        package var text: String
        package var emoji: Bool?
        /// For mrkdwn: true stops Slack from linking URLs and channel names and from parsing
        /// mentions it finds in plain words.
        package var verbatim: Bool?
    }
}
