/// A Teams Workflows webhook post: an Adaptive Card 1.5 inside a `message` attachment (the old
/// Office 365 connector `MessageCard` is no longer accepted). Built from typed values only, so
/// text from an alert can never change the card's structure.
struct TeamsMessage: Encodable, Equatable {
    let type = "message"
    var attachments: [TeamsAttachment]

    init(card: AdaptiveCard) {
        attachments = [TeamsAttachment(content: card)]
    }

    /// The message for a batch showing its first `shown` alerts.
    init(batch: WebhookBatch, shown: Int, budget: MessageBudget) {
        var body: [AdaptiveCard.Element] = [
            .textBlock(AdaptiveCard.TextBlock(budget.clip(batch.heading), size: .large, weight: .bolder)),
            .textBlock(AdaptiveCard.TextBlock(batch.summary, isSubtle: true, spacing: .small)),
        ]
        for digest in batch.digests.prefix(shown) {
            body.append(
                .container(
                    AdaptiveCard.Container(
                        items: [
                            .textBlock(
                                AdaptiveCard.TextBlock(
                                    budget.clip("\(digest.badge): \(digest.title)"), weight: .bolder,
                                    color: Self.color(of: digest))),
                            .textBlock(AdaptiveCard.TextBlock(budget.clip(digest.message))),
                            .factSet(
                                AdaptiveCard.FactSet(
                                    facts: digest.facts.map {
                                        AdaptiveCard.Fact(title: budget.clip($0.name), value: budget.clip($0.value))
                                    })),
                        ],
                        style: Self.style(of: digest), separator: true)))
        }
        let omitted = batch.digests.count - shown
        if omitted > 0 {
            body.append(
                .textBlock(AdaptiveCard.TextBlock(MessageBudget.omittedNote(omitted), isSubtle: true, separator: true)))
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
        case textBlock(TextBlock)
        case factSet(FactSet)
        case container(Container)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .textBlock(let element): try element.encode(to: encoder)
            case .factSet(let element): try element.encode(to: encoder)
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
        case small = "Small"
        case medium = "Medium"
        case large = "Large"
    }
    enum ContainerStyle: String, Encodable { case good, warning, attention, emphasis }

    struct TextBlock: Encodable, Equatable {
        let type = "TextBlock"
        var text: String
        var wrap = true
        var size: TextSize?
        var weight: TextWeight?
        var color: TextColor?
        var isSubtle: Bool?
        var separator: Bool?
        var spacing: Spacing?

        init(
            _ text: String, size: TextSize? = nil, weight: TextWeight? = nil, color: TextColor? = nil,
            isSubtle: Bool? = nil, separator: Bool? = nil, spacing: Spacing? = nil
        ) {
            self.text = text
            self.size = size
            self.weight = weight
            self.color = color
            self.isSubtle = isSubtle
            self.separator = separator
            self.spacing = spacing
        }
    }

    struct FactSet: Encodable, Equatable {
        let type = "FactSet"
        var facts: [Fact]
    }

    struct Fact: Encodable, Equatable {
        var title: String
        var value: String
    }

    struct Container: Encodable, Equatable {
        let type = "Container"
        var items: [Element]
        var style: ContainerStyle?
        var separator: Bool?
    }
}
