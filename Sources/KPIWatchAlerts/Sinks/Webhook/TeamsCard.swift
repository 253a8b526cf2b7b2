import KPIWatchCore

/// A Teams Workflows webhook post: an Adaptive Card 1.5 inside a `message` attachment (the old
/// Office 365 connector `MessageCard` is no longer accepted). Built from typed values only, so
/// text from an alert can never change the card's structure.
///
/// Every text is a `TextRun` in a `RichTextBlock`, which the Adaptive Card schema renders as
/// plain text: a `TextBlock` (and a FactSet's title and value) would render Markdown, so a name
/// like `[x](https://…)` or `**…**` would become a live link or bold, and backslash escapes are
/// not honoured alike by Teams' desktop and mobile renderers.
package struct TeamsMessage: Encodable, Equatable {
    package let type = "message"
    package var attachments: [TeamsAttachment]

    package init(card: AdaptiveCard) {
        attachments = [TeamsAttachment(content: card)]
    }

    /// The digest for a batch showing its first `shown` lines: the heading, the counts, what changed, the counts per
    /// rule and team, then one line per case or KPI alert, what was left out, and where the full report is.
    package init(batch: WebhookBatch, shown: Int, budget: MessageBudget) {
        typealias Run = AdaptiveCard.TextRun
        typealias Block = AdaptiveCard.RichTextBlock
        var body: [AdaptiveCard.Element] = [
            .richText(Block([Run(budget.clip(batch.heading), size: .large, weight: .bolder)])),
            .richText(Block([Run(budget.clip(batch.summary), isSubtle: true)], spacing: .small)),
        ]
        for line in batch.overview {
            body.append(.richText(Block([Run(budget.clip(line))], spacing: .small)))
        }
        for (index, line) in batch.lines.prefix(shown).enumerated() {
            body.append(
                .richText(
                    Block(
                        [
                            Run(line.badge, weight: .bolder, color: Self.color(of: line.lead)),
                            Run(" \(line.clippedTitle { $0 }): ", weight: .bolder),
                            Run(line.clippedText { $0 }),
                        ], separator: index == 0 ? true : nil, spacing: index == 0 ? nil : .small)))
        }
        let note = batch.leftOutNote(showing: shown)
        if let note { body.append(.richText(Block([Run(note, isSubtle: true)], separator: true))) }
        if let pointer = batch.reportPointer {
            body.append(.richText(Block([Run(budget.clip(pointer), isSubtle: true)], separator: note == nil)))
        }
        self.init(card: AdaptiveCard(body: body))
    }

    package static func color(of digest: AlertDigest) -> AdaptiveCard.TextColor {
        if digest.status == .resolved { return .good }
        return digest.severity == .critical ? .attention : .warning
    }
}

package struct TeamsAttachment: Encodable, Equatable {
    package let contentType = "application/vnd.microsoft.card.adaptive"
    package var content: AdaptiveCard

    private enum CodingKeys: String, CodingKey {
        case contentType, contentUrl, content
    }

    // Workflows expects `contentUrl` present and null; synthesized coding would leave it out.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(contentType, forKey: .contentType)
        try container.encodeNil(forKey: .contentUrl)
        try container.encode(content, forKey: .content)
    }
}

package struct AdaptiveCard: Encodable, Equatable {
    package let schema = "http://adaptivecards.io/schemas/adaptive-card.json"
    package let type = "AdaptiveCard"
    package let version = "1.5"
    package var body: [Element]
    /// Teams draws cards narrow unless told otherwise; tables of facts need the width.
    package var msteams = TeamsCardOptions(width: "Full")

    private enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case type, version, body, msteams
    }
}

package struct TeamsCardOptions: Encodable, Equatable {
    package var width: String
}

/// The card elements kpiwatch uses, with the properties the 1.5 schema gives them.
extension AdaptiveCard {
    package enum Element: Encodable, Equatable {
        case richText(RichTextBlock)
        case container(Container)

        package func encode(to encoder: any Encoder) throws {
            switch self {
            case .richText(let element): try element.encode(to: encoder)
            case .container(let element): try element.encode(to: encoder)
            }
        }
    }

    package enum TextSize: String, Encodable {
        case small = "Small"
        case medium = "Medium"
        case large = "Large"
    }
    package enum TextWeight: String, Encodable {
        case lighter = "Lighter"
        case bolder = "Bolder"
    }
    package enum TextColor: String, Encodable {
        case good = "Good"
        case warning = "Warning"
        case attention = "Attention"
    }
    package enum Spacing: String, Encodable {
        case none = "None"
        case small = "Small"
        case medium = "Medium"
        case large = "Large"
    }
    package enum ContainerStyle: String, Encodable { case good, warning, attention, emphasis }

    /// Text without Markdown: the only kind of text element kpiwatch uses.
    package struct RichTextBlock: Encodable, Equatable {
        package let type = "RichTextBlock"
        package var inlines: [TextRun]
        package var separator: Bool?
        package var spacing: Spacing?

        package init(_ inlines: [TextRun], separator: Bool? = nil, spacing: Spacing? = nil) {
            self.inlines = inlines
            self.separator = separator
            self.spacing = spacing
        }
    }

    package struct TextRun: Encodable, Equatable {
        package let type = "TextRun"
        package var text: String
        package var size: TextSize?
        package var weight: TextWeight?
        package var color: TextColor?
        package var isSubtle: Bool?

        package init(
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

    package struct Container: Encodable, Equatable {
        package let type = "Container"
        package var items: [Element]
        package var style: ContainerStyle?
        package var separator: Bool?
    }
}
