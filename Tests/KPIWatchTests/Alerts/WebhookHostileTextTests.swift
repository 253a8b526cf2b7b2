import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Names and messages from the data that try to command the channel (mention everyone, forge a
/// link, format text), posted in all four formats to a real server on 127.0.0.1 and read back
/// field by field.
@Suite("Webhook hostile text", .serialized)
struct WebhookHostileTextTests {
    static let hostile = "<!channel> <users/all> [x](https://evil.example) **bold** _i_ ~s~ `c` <b>tag</b> & co"

    /// An alert whose team (a group value, counted in the digest's "By team"), title, message and label all carry
    /// `hostile`.
    static var notification: AlertNotice {
        var notification = WebhookFixture.kpiAlert(team: hostile)
        notification.alert.title = "Title " + hostile
        notification.alert.message = "Message " + hostile
        notification.alert.labels["caseworker"] = hostile
        return notification
    }

    func post(_ format: String) throws -> [String: Any] {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let sink = try WebhookFixture.sink(
            "type: webhook\nurl: \(server.url)\nallow_http: true\nformat: \(format)\ngroup_by: [team]")
        let report = WebhookFixture.deliver([Self.notification], through: sink)
        #expect(report.delivered.count == 1)
        return try #require(server.requests.first?.json as? [String: Any])
    }

    /// Slack and Chat HTML entities decoded.
    static func decodeEntities(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Text with entities only for `&`, `<` and `>`: no markup can open, no entity is left half.
    static func expectOnlyEntities(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!text.contains("<") && !text.contains(">"), "\(text)", sourceLocation: sourceLocation)
        let ampersands = text.components(separatedBy: "&").dropFirst()
        for rest in ampersands {
            #expect(
                rest.hasPrefix("amp;") || rest.hasPrefix("lt;") || rest.hasPrefix("gt;"), "\(text)",
                sourceLocation: sourceLocation)
        }
    }

    @Test func slackEscapesEveryMrkdwnFieldAndKeepsTheHeaderPlain() throws {
        let root = try post("slack")
        let text = try #require(root["text"] as? String)
        Self.expectOnlyEntities(text)
        #expect(Self.decodeEntities(text).contains("team: " + Self.hostile))

        let blocks = try #require(root["blocks"] as? [[String: Any]])
        var mrkdwn: [String] = []
        for block in blocks {
            switch block["type"] as? String {
            case "header":
                let object = try #require(block["text"] as? [String: Any])
                // plain_text: Slack parses no mentions or links in it, so the text goes as it is.
                #expect(object["type"] as? String == "plain_text")
                #expect((object["text"] as? String)?.contains(Self.hostile) == true)
            case "section":
                mrkdwn.append(try Self.mrkdwnText(try #require(block["text"] as? [String: Any])))
            case "context":
                for element in try #require(block["elements"] as? [[String: Any]]) {
                    mrkdwn.append(try Self.mrkdwnText(element))
                }
            default:
                Issue.record("unexpected block \(block)")
            }
        }
        for field in mrkdwn { Self.expectOnlyEntities(field) }
        let decoded = mrkdwn.map(Self.decodeEntities).joined(separator: "\n")
        #expect(decoded.contains("Title " + Self.hostile))
        #expect(decoded.contains("Message " + Self.hostile))
        #expect(decoded.contains("By team: " + Self.hostile + " 1"))
    }

    /// A mrkdwn text object's text, after checking that Slack will not auto-link or mention in it.
    static func mrkdwnText(_ object: [String: Any]) throws -> String {
        #expect(object["type"] as? String == "mrkdwn")
        #expect(object["verbatim"] as? Bool == true)
        return try #require(object["text"] as? String)
    }

    @Test func googleChatBreaksMarkupInTextAndHeaderAndEscapesCardHTML() throws {
        let root = try post("google_chat")
        let card = try #require(
            ((root["cardsV2"] as? [[String: Any]])?.first?["card"]) as? [String: Any])
        let header = try #require(card["header"] as? [String: Any])
        let plainFields = [
            try #require(root["text"] as? String), try #require(header["title"] as? String),
            try #require(header["subtitle"] as? String),
        ]
        for field in plainFields {
            // No `<` is followed by what a mention, link or tag needs, and no marker can pair.
            #expect(!field.contains("<users/") && !field.contains("<!") && !field.contains("<b>"))
            for marker in ["**", "*b", "_i", "~s", "`c", "<b"] { #expect(!field.contains(marker), "\(field)") }
            for (index, character) in field.enumerated() where character == "<" {
                #expect(Array(field)[index + 1] == "\u{200B}")
            }
        }
        // The zero-width breaks are all that was added: the reader sees the name as it is.
        let shown = plainFields.map { $0.replacingOccurrences(of: "\u{200B}", with: "") }
        #expect(shown[0].contains("team: " + Self.hostile))
        #expect(shown[1].contains("team: " + Self.hostile))

        let sections = try #require(card["sections"] as? [[String: Any]])
        var html: [String] = []
        for section in sections {
            if let sectionHeader = section["header"] as? String { html.append(sectionHeader) }
            for widget in try #require(section["widgets"] as? [[String: Any]]) {
                html.append(try #require((widget["textParagraph"] as? [String: Any])?["text"] as? String))
            }
        }
        for field in html {
            // kpiwatch's own tags removed, what is left has only entities.
            var rest = field
            for tag in ["<b>", "</b>", "</font>"] { rest = rest.replacingOccurrences(of: tag, with: "") }
            rest = rest.replacingOccurrences(
                of: ##"<font color="#[0-9a-f]{6}">"##, with: "", options: .regularExpression)
            Self.expectOnlyEntities(rest)
        }
        let decoded = html.map(Self.decodeEntities).joined(separator: "\n")
        #expect(decoded.contains("Title " + Self.hostile))
        #expect(decoded.contains("Message " + Self.hostile))
        #expect(decoded.contains("By team: " + Self.hostile + " 1"))
    }

    @Test func teamsPutsEveryTextInATextRunWhichRendersNoMarkdown() throws {
        let root = try post("teams")
        let attachment = try #require((root["attachments"] as? [[String: Any]])?.first)
        let card = try #require(attachment["content"] as? [String: Any])
        var runs: [String] = []
        var others: [String] = []
        func walk(_ elements: [Any]) {
            for case let element as [String: Any] in elements {
                switch element["type"] as? String {
                case "Container": walk(element["items"] as? [Any] ?? [])
                case "RichTextBlock":
                    for case let run as [String: Any] in element["inlines"] as? [Any] ?? [] {
                        #expect(run["type"] as? String == "TextRun")
                        runs.append(run["text"] as? String ?? "")
                    }
                default: others.append(element["type"] as? String ?? "?")
                }
            }
        }
        walk(try #require(card["body"] as? [Any]))
        // No TextBlock, FactSet or other element whose text Teams reads as Markdown.
        #expect(others.isEmpty)
        #expect(runs.contains { $0.contains("team: " + Self.hostile) })
        #expect(runs.contains(" Title " + Self.hostile + ": "))
        #expect(runs.contains("Message " + Self.hostile))
        #expect(runs.contains("By team: " + Self.hostile + " 1"))
        #expect(AdaptiveCardRequiredFields.problems(inElements: card["body"] as? [Any] ?? []).isEmpty)
    }

    @Test func genericKeepsTheDataExactlyAsData() throws {
        let root = try post("generic")
        #expect(root["groupLabels"] as? [String: String] == ["team": Self.hostile])
        let alert = try #require((root["alerts"] as? [[String: Any]])?.first)
        #expect(alert["title"] as? String == "Title " + Self.hostile)
        #expect(alert["message"] as? String == "Message " + Self.hostile)
        #expect(alert["group"] as? [String: String] == ["team": Self.hostile])
        #expect((alert["labels"] as? [String: String])?["caseworker"] == Self.hostile)
    }

    /// The same through the built executable: a team name in the CSV reaches all four formats.
    @Test func checkPostsAHostileTeamNameInertToEveryFormat() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let formats = ["slack", "google_chat", "teams", "generic"]
        let sinks = formats.map { format in
            """
              - type: webhook
                name: hook-\(format)
                format: \(format)
                url: ${env:HOOK_\(format.uppercased())}
                allow_http: true
                max_attempts: 1
                group_by: [team]
            """
        }
        let project = LifecycleProject(sinks: sinks.joined(separator: "\n"))
        let team = "<!channel> <users/all> [x](https://evil.example) **bold**"
        project.setCases([("C1", team, "2020-01-06", nil), ("C2", team, "2020-01-06", nil)])
        var environment: [String: String] = [:]
        for format in formats {
            environment["HOOK_\(format.uppercased())"] = "http://127.0.0.1:\(server.port)/\(format)"
        }
        let result = try runKPIWatch(
            ["check", "--config", project.configPath, "--as-of", "2021-03-01"], environment: environment)
        #expect(result.status == 2, "\(result.stderr)")
        // One message per team: the hostile team's and the total's.
        func bodies(_ format: String) -> [[String: Any]] {
            server.requests.filter { $0.path == "/\(format)" }.compactMap { $0.json as? [String: Any] }
        }
        let slack = bodies("slack").compactMap { $0["text"] as? String }
        #expect(slack.count == 2 && slack.allSatisfy { !$0.contains("<") })
        #expect(slack.contains { $0.contains("team: &lt;!channel&gt; &lt;users/all&gt;") })
        let chat = bodies("google_chat").compactMap { $0["text"] as? String }
        #expect(chat.count == 2 && chat.allSatisfy { !$0.contains("<users/all>") && !$0.contains("**") })
        #expect(chat.contains { $0.replacingOccurrences(of: "\u{200B}", with: "").contains("team: " + team) })
        let teams = bodies("teams").map {
            String(decoding: try! JSONSerialization.data(withJSONObject: $0), as: UTF8.self)
        }
        #expect(teams.count == 2 && teams.allSatisfy { !$0.contains("\"TextBlock\"") && !$0.contains("\"FactSet\"") })
        let generic = bodies("generic").flatMap { $0["alerts"] as? [[String: Any]] ?? [] }
        #expect(generic.contains { ($0["labels"] as? [String: String])?["team"] == team })
    }
}
