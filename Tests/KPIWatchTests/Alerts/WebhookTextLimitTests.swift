import Foundation
import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchEngine

/// Length limits counted in the unit each service counts (UTF-16 code units, never grapheme
/// clusters), with decomposed accents and emoji, and the Teams card's margin under 28 KB.
@Suite("Webhook text limits", .serialized)
struct WebhookTextLimitTests {
    /// `é` written as `e` and a combining acute accent: 1 grapheme cluster, 2 code points, 2 UTF-16 units.
    static let decomposed = "e\u{301}"
    /// A family emoji: 1 grapheme cluster, 7 code points, 11 UTF-16 units.
    static let family = "👨‍👩‍👧‍👦"

    @Test func clipCountsUTF16UnitsAndKeepsGraphemeClustersWhole() {
        let accents = String(repeating: Self.decomposed, count: 149)
        #expect(accents.count == 149)  // what the old clip compared with 150, letting 298 code points through
        let clipped = ChatText.clip(accents, to: 150)
        #expect(clipped.utf16.count <= 150 && clipped.unicodeScalars.count <= 150)
        #expect(clipped.hasSuffix("…"))
        #expect(String(clipped.dropLast()) == String(repeating: Self.decomposed, count: 74))

        let emoji = ChatText.clip(String(repeating: Self.family, count: 30), to: 100)
        #expect(emoji.utf16.count <= 100)
        #expect(String(emoji.dropLast()) == String(repeating: Self.family, count: 9))

        #expect(ChatText.clip("short", to: 5) == "short")
        #expect(ChatText.clip("longer", to: 5) == "long…")
    }

    @Test func clipMeasuresTheEscapedTextAndNeverCutsAnEntity() {
        let text = String(repeating: "a&<", count: 20)
        for limit in 1...40 {
            let clipped = ChatText.clip(text, to: limit, escape: ChatText.entities)
            #expect(clipped.utf16.count <= limit)
            let kept = clipped.hasSuffix("…") ? String(clipped.dropLast()) : clipped
            let raw = kept.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&amp;", with: "&")
            // Whole entities only: the kept text is exactly the escaped form of a prefix of the input.
            #expect(text.hasPrefix(raw) && ChatText.entities(raw) == kept, "limit \(limit): \(clipped)")
        }
    }

    func post(_ notifications: [AlertNotice], format: String) throws -> Data {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let sink = try WebhookFixture.sink("type: webhook\nurl: \(server.url)\nallow_http: true\nformat: \(format)")
        let report = WebhookFixture.deliver(notifications, through: sink)
        #expect(report.delivered.count == notifications.count)
        return try #require(server.requests.first?.body)
    }

    /// An alert whose title, message and team are each thousands of decomposed accents or emoji.
    static func longAlert(_ unit: String, repeats: Int) -> AlertNotice {
        var notification = WebhookFixture.kpiAlert(team: String(repeating: unit, count: repeats))
        notification.alert.title = String(repeating: unit, count: repeats)
        notification.alert.message = String(repeating: unit + "&", count: repeats)
        return notification
    }

    @Test(arguments: [(decomposed, 3_000), (family, 600)])
    func slackHeaderSectionsAndContextsStayUnderTheirLimits(unit: String, repeats: Int) throws {
        let body = try post([Self.longAlert(unit, repeats: repeats)], format: "slack")
        let root = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let blocks = try #require(root["blocks"] as? [[String: Any]])
        let header = try #require((blocks.first?["text"] as? [String: Any])?["text"] as? String)
        #expect(header.utf16.count <= 150 && header.unicodeScalars.count <= 150)
        for block in blocks.dropFirst() {
            let texts =
                ((block["elements"] as? [[String: Any]]) ?? [block["text"] as? [String: Any] ?? [:]])
                .compactMap { $0["text"] as? String }
            for text in texts { #expect(text.utf16.count <= 3_000 && text.unicodeScalars.count <= 3_000) }
        }
        #expect((root["text"] as? String).map { $0.utf16.count <= 40_000 } == true)
    }

    @Test func googleChatTextsStayUnderTheirLimit() throws {
        let body = try post([Self.longAlert(Self.decomposed, repeats: 3_000)], format: "google_chat")
        #expect(body.count <= 32_000)
        let root = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(((root["text"] as? String)?.utf16.count ?? .max) <= 4_000)
    }

    @Test func teamsCardKeepsItsMarginEvenIfEveryNonASCIICharacterWereEscaped() throws {
        let notifications = (1...300).map { index in
            var notification = WebhookFixture.kpiAlert(team: "Équipe \(index) " + Self.family)
            notification.alert.message = String(repeating: Self.decomposed + Self.family, count: 40)
            return notification
        }
        let body = try post(notifications, format: "teams")
        #expect(MessageBudget.BodySize.asciiEscapedJSON.count(body) <= 24_000)
        #expect(body.count < 28_000 - 4_000)
        let text = String(decoding: body, as: UTF8.self)
        let note = try #require(text.range(of: #"… and (\d+) more alerts not shown"#, options: .regularExpression))
        let omitted = Int(text[note].split(separator: " ")[2])!
        // The digest's lines are the blocks that open with a coloured badge.
        let root = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let card = try #require((root["attachments"] as? [[String: Any]])?.first?["content"] as? [String: Any])
        let runs = try #require(card["body"] as? [[String: Any]]).compactMap { $0["inlines"] as? [[String: Any]] }
        let lines = runs.filter { $0.first?["color"] != nil }.compactMap { $0.last?["text"] as? String }
        #expect(lines.count + omitted == 300)
        #expect(lines.count >= 1)
        // Long lines are cut at a character boundary rather than left out.
        let message = Array(notifications[0].alert.message)
        for line in lines {
            #expect(line.hasSuffix("…") && line.utf16.count <= DigestLine.textLimit)
            let kept = Array(line.dropLast())
            #expect(!kept.isEmpty && Array(message.prefix(kept.count)) == kept)
        }
        // The counts above the lines are whole, however little fits below them.
        #expect(text.contains("300 critical"))
        #expect(text.contains("By rule: New EHC plans issued within 20 weeks 300"))
        #expect(text.contains(" · 292 other teams 292"))
    }

    @Test func asciiEscapedSizeCountsEachNonASCIICharacterAsItsEscape() {
        #expect(MessageBudget.BodySize.asciiEscapedJSON.count(Data("ab".utf8)) == 2)
        #expect(MessageBudget.BodySize.asciiEscapedJSON.count(Data("é".utf8)) == 6)  // \u00e9
        #expect(MessageBudget.BodySize.asciiEscapedJSON.count(Data("€".utf8)) == 6)  // \u20ac
        #expect(MessageBudget.BodySize.asciiEscapedJSON.count(Data("😀".utf8)) == 12)  // \ud83d\ude00
    }
}
