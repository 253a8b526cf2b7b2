import KPIWatchCore

/// A Google Chat incoming-webhook post: `text` (shown in notifications) and one `cardsV2` card
/// with a header and a section per alert. Alert text is made inert for each field: entities in
/// section headers and paragraphs (Chat's HTML subset), and zero-width breaks in `text` and the
/// card header, whose markup has no escape (see `ChatText.brokenMarkup`).
package struct GoogleChatMessage: Encodable, Equatable {
    package var text: String
    package var cardsV2: [CardWithID]

    /// The digest for a batch showing its first `shown` lines: the card header (heading and counts), a section with
    /// what changed and the counts per rule and team, a section with a paragraph per case or KPI alert, then what was
    /// left out and where the full report is.
    package init(batch: WebhookBatch, shown: Int, budget: MessageBudget, cardID: String) {
        var sections: [Section] = []
        if !batch.overview.isEmpty {
            // A paragraph per line: Chat's HTML would need a `<br>` between them in one.
            let overview = batch.overview.map {
                Widget.textParagraph(TextParagraph(text: budget.clip($0, escape: ChatText.entities)))
            }
            sections.append(Section(header: nil, widgets: overview))
        }
        let lines = batch.lines.prefix(shown).map { line -> Widget in
            let badge = "<font color=\"\(Self.color(of: line.lead))\"><b>\(ChatText.entities(line.badge))</b></font>"
            let title = line.clippedTitle(escape: ChatText.entities)
            return .textParagraph(
                TextParagraph(text: "\(badge) · <b>\(title)</b>: " + line.clippedText(escape: ChatText.entities)))
        }
        if !lines.isEmpty { sections.append(Section(header: nil, widgets: lines)) }
        var footer: [Widget] = []
        if let note = batch.leftOutNote(showing: shown) { footer.append(.textParagraph(TextParagraph(text: note))) }
        if let pointer = batch.reportPointer {
            footer.append(.textParagraph(TextParagraph(text: budget.clip(pointer, escape: ChatText.entities))))
        }
        if !footer.isEmpty { sections.append(Section(header: nil, widgets: footer)) }
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
