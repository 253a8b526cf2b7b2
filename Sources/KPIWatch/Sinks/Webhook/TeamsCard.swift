/// A Teams Workflows webhook post: an Adaptive Card 1.5 inside a `message` attachment (the old
/// Office 365 connector `MessageCard` is no longer accepted). Built from typed values only, so
/// text from an alert can never change the card's structure.
///
/// Every text is a `TextRun` in a `RichTextBlock`, which the Adaptive Card schema renders as
/// plain text: a `TextBlock` (and a FactSet's title and value) would render Markdown, so a name
/// like `[x](https://…)` or `**…**` would become a live link or bold, and backslash escapes are
/// not honoured alike by Teams' desktop and mobile renderers.
struct TeamsMessage: Encodable, Equatable {
    let type = "message"
    var attachments: [TeamsAttachment]

    init(card: AdaptiveCard) {
        attachments = [TeamsAttachment(content: card)]
    }

    /// The message for a batch showing its first `shown` alerts.
    init(batch: WebhookBatch, shown: Int, budget: MessageBudget) {
        typealias Run = AdaptiveCard.TextRun
        typealias Block = AdaptiveCard.RichTextBlock
        var body: [AdaptiveCard.Element] = [
            .richText(Block([Run(budget.clip(batch.heading), size: .large, weight: .bolder)])),
            .richText(Block([Run(budget.clip(batch.summary), isSubtle: true)], spacing: .small)),
        ]
        for digest in batch.digests.prefix(shown) {
            var items: [AdaptiveCard.Element] = [
                .richText(
                    Block([
                        Run(
                            budget.clip("\(digest.badge): \(digest.title)"), weight: .bolder,
                            color: Self.color(of: digest))
                    ]))
            ]
            if !digest.message.isEmpty { items.append(.richText(Block([Run(budget.clip(digest.message))]))) }
            for fact in digest.facts {
                items.append(
                    .richText(
                        Block(
                            [Run(budget.clip(fact.name) + ": ", weight: .bolder), Run(budget.clip(fact.value))],
                            spacing: AdaptiveCard.Spacing.none)))
            }
            body.append(
                .container(AdaptiveCard.Container(items: items, style: Self.style(of: digest), separator: true)))
        }
        let omitted = batch.digests.count - shown
        if omitted > 0 {
            body.append(.richText(Block([Run(MessageBudget.omittedNote(omitted), isSubtle: true)], separator: true)))
        }
        self.init(card: AdaptiveCard(body: body))
    }

    static func color(of digest: AlertDigest) -> AdaptiveCard.TextColor {
        if digest.status == .resolved { return .good }
        return digest.severity == "critical" ? .attention : .warning
    }

    static func style(of digest: AlertDigest) -> AdaptiveCard.ContainerStyle {
        if digest.status == .resolved { return .good }
        return digest.severity == "critical" ? .attention : .warning
    }
}

struct TeamsAttachment: Encodable, Equatable {
    let contentType = "application/vnd.microsoft.card.adaptive"
    var content: AdaptiveCard

    private enum CodingKeys: String, CodingKey {
        case contentType, contentUrl, content
    }

    // Workflows expects `contentUrl` present and null; synthesized coding would leave it out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(contentType, forKey: .contentType)
        try container.encodeNil(forKey: .contentUrl)
        try container.encode(content, forKey: .content)
    }
}

struct AdaptiveCard: Encodable, Equatable {
    let schema = "http://adaptivecards.io/schemas/adaptive-card.json"
    let type = "AdaptiveCard"
    let version = "1.5"
    var body: [Element]
    /// Teams draws cards narrow unless told otherwise; tables of facts need the width.
    var msteams = TeamsCardOptions(width: "Full")

    private enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case type, version, body, msteams
    }
}

struct TeamsCardOptions: Encodable, Equatable {
    var width: String
}

/// The card elements kpiwatch uses, with the properties the 1.5 schema gives them.
extension AdaptiveCard {
    enum Element: Encodable, Equatable {
        case richText(RichTextBlock)
        case container(Container)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .richText(let element): try element.encode(to: encoder)
            case .container(let element): try element.encode(to: encoder)
            }
        }
    }

    enum TextSize: String, Encodable {
        case small = "Small"
        case medium = "Medium"
        case large = "Large"
    }
    enum TextWeight: String, Encodable {
        case lighter = "Lighter"
        case bolder = "Bolder"
    }
    enum TextColor: String, Encodable {
        case good = "Good"
        case warning = "Warning"
        case attention = "Attention"
    }
    enum Spacing: String, Encodable {
        case none = "None"
        case small = "Small"
        case medium = "Medium"
        case large = "Large"
    }
    enum ContainerStyle: String, Encodable { case good, warning, attention, emphasis }

    /// Text without Markdown: the only kind of text element kpiwatch uses.
    struct RichTextBlock: Encodable, Equatable {
        let type = "RichTextBlock"
        var inlines: [TextRun]
        var separator: Bool?
        var spacing: Spacing?

        init(_ inlines: [TextRun], separator: Bool? = nil, spacing: Spacing? = nil) {
            self.inlines = inlines
            self.separator = separator
            self.spacing = spacing
        }
    }

    struct TextRun: Encodable, Equatable {
        let type = "TextRun"
        var text: String
        var size: TextSize?
        var weight: TextWeight?
        var color: TextColor?
        var isSubtle: Bool?

        init(
            _ text: String, size: TextSize? = nil, weight: TextWeight? = nil, color: TextColor? = nil,
            isSubtle: Bool? = nil
        ) {
            self.text = text
            self.size = size
            self.weight = weight
            self.color = color
            self.isSubtle = isSubtle
        }
    }

    struct Container: Encodable, Equatable {
        let type = "Container"
        var items: [Element]
        var style: ContainerStyle?
        var separator: Bool?
    }
}
