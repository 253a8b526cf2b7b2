/// A Google Chat incoming-webhook post: `text` (shown in notifications) and one `cardsV2` card
/// with a header and a section per alert. Card text is Chat's HTML subset, so alert text is
/// escaped before it goes in.
struct GoogleChatMessage: Encodable, Equatable {
    var text: String
    var cardsV2: [CardWithID]

    /// The message for a batch showing its first `shown` alerts.
    init(batch: WebhookBatch, shown: Int, budget: MessageBudget, cardID: String) {
        var sections: [Section] = []
        for digest in batch.digests.prefix(shown) {
            var widgets: [Widget] = []
            if !digest.message.isEmpty {
                widgets.append(.textParagraph(TextParagraph(text: Self.escape(budget.clip(digest.message)))))
            }
            // One widget for all facts: a widget each would reach Chat's 100-widget limit at a dozen alerts.
            let facts = digest.facts.map { fact in
                let name = Self.escape(MessageBudget.clip(fact.name, to: 100))
                return "<b>\(name):</b> \(Self.escape(MessageBudget.clip(fact.value, to: 500)))"
            }
            widgets.append(.textParagraph(TextParagraph(text: facts.joined(separator: " · "))))
            let color = Self.color(of: digest)
            let header =
                "<font color=\"\(color)\"><b>\(digest.badge)</b></font> · \(Self.escape(budget.clip(digest.title)))"
            sections.append(Section(header: header, widgets: widgets))
        }
        let omitted = batch.digests.count - shown
        if omitted > 0 {
            sections.append(
                Section(header: nil, widgets: [.textParagraph(TextParagraph(text: MessageBudget.omittedNote(omitted)))])
            )
        }
        let card = Card(
            header: Header(title: budget.clip(batch.heading), subtitle: budget.clip(batch.summary)), sections: sections)
        self.text = budget.clip(batch.fallbackText)
        self.cardsV2 = [CardWithID(cardId: cardID, card: card)]
    }

    /// Widgets in the card: what Chat's 100-widget limit counts.
    var widgetCount: Int { cardsV2.reduce(0) { $0 + $1.card.sections.reduce(0) { $0 + $1.widgets.count } } }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func color(of digest: AlertDigest) -> String {
        if digest.status == .resolved { return "#188038" }
        return digest.severity == "critical" ? "#d93025" : "#e37400"
    }

    struct CardWithID: Encodable, Equatable {
        var cardId: String
        var card: Card
    }

    struct Card: Encodable, Equatable {
        var header: Header
        var sections: [Section]
    }

    struct Header: Encodable, Equatable {
        var title: String
        var subtitle: String
    }

    struct Section: Encodable, Equatable {
        var header: String?
        var widgets: [Widget]
    }

    /// A card widget: an object with one key naming its kind.
    enum Widget: Encodable, Equatable {
        case textParagraph(TextParagraph)

        private enum CodingKeys: String, CodingKey {
            case textParagraph
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .textParagraph(let widget): try container.encode(widget, forKey: .textParagraph)
            }
        }
    }

    struct TextParagraph: Encodable, Equatable {
        var text: String
    }
}
