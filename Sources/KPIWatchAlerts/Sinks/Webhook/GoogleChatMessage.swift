import KPIWatchCore

/// A Google Chat incoming-webhook post: `text` (shown in notifications) and one `cardsV2` card
/// with a header and a section per alert. Alert text is made inert for each field: entities in
/// section headers and paragraphs (Chat's HTML subset), and zero-width breaks in `text` and the
/// card header, whose markup has no escape (see `ChatText.brokenMarkup`).
package struct GoogleChatMessage: Encodable, Equatable {
    package var text: String
    package var cardsV2: [CardWithID]

    package static let factNameLimit = 100
    package static let factValueLimit = 500

    /// The message for a batch showing its first `shown` alerts.
    package init(batch: WebhookBatch, shown: Int, budget: MessageBudget, cardID: String) {
        var sections: [Section] = []
        for digest in batch.digests.prefix(shown) {
            var widgets: [Widget] = []
            if !digest.message.isEmpty {
                widgets.append(
                    .textParagraph(TextParagraph(text: budget.clip(digest.message, escape: ChatText.entities))))
            }
            // One widget for all facts: a widget each would reach Chat's 100-widget limit at a dozen alerts.
            let facts = digest.facts.map { fact in
                let name = ChatText.clip(fact.name, to: Self.factNameLimit, escape: ChatText.entities)
                let value = ChatText.clip(fact.value, to: Self.factValueLimit, escape: ChatText.entities)
                return "<b>\(name):</b> \(value)"
            }
            widgets.append(.textParagraph(TextParagraph(text: facts.joined(separator: " · "))))
            let color = Self.color(of: digest)
            let header =
                "<font color=\"\(color)\"><b>\(ChatText.entities(digest.badge))</b></font> · \(budget.clip(digest.title, escape: ChatText.entities))"
            sections.append(Section(header: header, widgets: widgets))
        }
        let omitted = batch.digests.count - shown
        if omitted > 0 {
            sections.append(
                Section(header: nil, widgets: [.textParagraph(TextParagraph(text: MessageBudget.omittedNote(omitted)))])
            )
        }
        let card = Card(
            header: Header(
                title: budget.clip(batch.heading, escape: ChatText.brokenMarkup),
                subtitle: budget.clip(batch.summary, escape: ChatText.brokenMarkup)),
            sections: sections)
        self.text = budget.clip(batch.fallbackText, escape: ChatText.brokenMarkup)
        self.cardsV2 = [CardWithID(cardId: cardID, card: card)]
    }

    /// Widgets in the card: what Chat's 100-widget limit counts.
    package var widgetCount: Int { cardsV2.reduce(0) { $0 + $1.card.sections.reduce(0) { $0 + $1.widgets.count } } }

    package static func color(of digest: AlertDigest) -> String {
        if digest.status == .resolved { return "#188038" }
        return digest.severity == .critical ? "#d93025" : "#e37400"
    }

    package struct CardWithID: Encodable, Equatable {
        package var cardId: String
        package var card: Card
    }

    package struct Card: Encodable, Equatable {
        package var header: Header
        package var sections: [Section]
    }

    package struct Header: Encodable, Equatable {
        package var title: String
        package var subtitle: String
    }

    package struct Section: Encodable, Equatable {
        package var header: String?
        package var widgets: [Widget]
    }

    /// A card widget: an object with one key naming its kind.
    package enum Widget: Encodable, Equatable {
        case textParagraph(TextParagraph)

        private enum CodingKeys: String, CodingKey {
            case textParagraph
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .textParagraph(let widget): try container.encode(widget, forKey: .textParagraph)
            }
        }
    }

    package struct TextParagraph: Encodable, Equatable {
        package var text: String
    }
}
