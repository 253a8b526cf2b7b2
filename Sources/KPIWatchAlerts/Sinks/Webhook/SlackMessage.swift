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

    /// The digest for a batch showing its first `shown` lines: a header, a context line with the counts, a section
    /// with what changed and the counts per rule and team, a section per case or KPI alert (badge, title, message),
    /// then what was left out and where the full report is.
    package init(batch: WebhookBatch, shown: Int, budget: MessageBudget) {
        let limit = budget.maxTextLength ?? Int.max
        var blocks: [Block] = [
            .header(ChatText.clip(batch.heading, to: MessageBudget.slackHeaderLimit)),
            .context([ChatText.clip(batch.summary, to: limit, escape: ChatText.entities)]),
        ]
        if !batch.overview.isEmpty {
            // Each line clipped on its own (never inside an entity), so that together they fit the section.
            let room = limit == Int.max ? limit : (limit - batch.overview.count) / batch.overview.count
            let text = batch.overview.map { ChatText.clip($0, to: room, escape: ChatText.entities) }
            blocks.append(.section(text.joined(separator: "\n")))
        }
        for line in batch.lines.prefix(shown) {
            let title = line.clippedTitle(escape: ChatText.entities)
            let badge = "\(Self.emoji(for: line.lead)) *\(ChatText.entities(line.badge))*"
            blocks.append(.section("\(badge) · *\(title)* " + line.clippedText(escape: ChatText.entities)))
        }
        if let note = batch.leftOutNote(showing: shown) { blocks.append(.context([note])) }
        if let pointer = batch.reportPointer {
            blocks.append(.context([ChatText.clip(pointer, to: limit, escape: ChatText.entities)]))
        }
        self.init(
            text: ChatText.clip(batch.fallbackText, to: MessageBudget.slackFallbackLimit, escape: ChatText.entities),
            blocks: blocks)
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
