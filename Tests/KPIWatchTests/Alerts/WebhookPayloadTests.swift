import Crypto
import Foundation
import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchEngine

/// What each format posts, read back from a real HTTP server on 127.0.0.1.
@Suite("Webhook payloads", .serialized)
struct WebhookPayloadTests {
    /// Posts `notifications` through a sink of `options`, as the pipeline's send stage does (or, given `batch`,
    /// as one message with those group labels), and returns the server's requests and the report.
    func post(
        _ notifications: [AlertNotice], options: String, responses: [LoopbackHTTPServer.Response] = [],
        clock: RecordingClock = RecordingClock(), minimumSpacing: Double? = 0,
        batch: [(name: String, value: String)]? = nil
    ) throws -> ([LoopbackHTTPServer.Request], DeliveryReport) {
        let server = try LoopbackHTTPServer(responses: responses)
        defer { server.stop() }
        let sink = try WebhookFixture.sink(
            "type: webhook\nurl: \(server.url)\nallow_http: true\n\(options)", clock: clock,
            minimumSpacing: minimumSpacing)
        let report: DeliveryReport
        if let batch {
            var context = WebhookFixture.context
            context.groupLabels = batch
            report = sink.send(notifications, context: context)
        } else {
            report = WebhookFixture.deliver(notifications, through: sink, clock: clock)
        }
        return (server.requests, report)
    }

    @Test func teamsPostIsAnAdaptiveCard15InAMessageAttachment() throws {
        let notifications = [
            WebhookFixture.kpiAlert(team: "North"), WebhookFixture.caseAlert(key: "C123", team: "South"),
            WebhookFixture.resolved(team: "East"),
        ]
        let (requests, report) = try post(notifications, options: "format: teams")
        #expect(requests.count == 1)
        #expect(report.delivered == Set(notifications.map(\.deliveryID)))
        let request = try #require(requests.first)
        #expect(request.method == "POST")
        #expect(request.headers["content-type"]?.hasPrefix("application/json") == true)

        let root = try #require(request.json as? [String: Any])
        #expect(root["type"] as? String == "message")
        let attachments = try #require(root["attachments"] as? [[String: Any]])
        #expect(attachments.count == 1)
        let attachment = attachments[0]
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        #expect(attachment.keys.contains("contentUrl") && attachment["contentUrl"] is NSNull)
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect(card["version"] as? String == "1.5")
        #expect(card["$schema"] as? String == "http://adaptivecards.io/schemas/adaptive-card.json")
        let body = try #require(card["body"] as? [Any])
        #expect(!body.isEmpty)
        #expect(AdaptiveCardRequiredFields.problems(inElements: body).isEmpty)

        let text = String(decoding: request.body, as: UTF8.self)
        // One line each, badge then title then message, as text runs.
        #expect(
            text.contains(#""text":"CRITICAL","#) && text.contains(#""text":" New EHC plans issued within 20 weeks: ""#)
        )
        #expect(text.contains("52.5%"))
        #expect(text.contains("C123"))
        #expect(text.contains("RESOLVED"))
        #expect(text.contains("2024-03-31"))
    }

    @Test func teamsCardValidatorCatchesAMissingRequiredField() {
        let broken: [Any] = [
            ["type": "RichTextBlock"], ["type": "RichTextBlock", "inlines": [["type": "TextRun"]]], ["text": "x"],
        ]
        #expect(AdaptiveCardRequiredFields.problems(inElements: broken).count == 3)
    }

    @Test func slackPostHasFallbackTextAndAtMostFiftyBlocks() throws {
        let notifications = (1...60).map { WebhookFixture.kpiAlert(team: "Team \($0)", value: Double($0)) }
        let (requests, report) = try post(notifications, options: "format: slack")
        #expect(requests.count == 1)
        #expect(report.delivered.count == 60)
        let root = try #require(requests.first?.json as? [String: Any])
        let text = try #require(root["text"] as? String)
        #expect(text.contains("60 critical"))
        let blocks = try #require(root["blocks"] as? [[String: Any]])
        #expect(blocks.count <= 50)
        #expect(blocks.first?["type"] as? String == "header")
        for block in blocks {
            #expect(["header", "section", "context", "divider"].contains(block["type"] as? String ?? ""))
            if let text = (block["text"] as? [String: Any])?["text"] as? String { #expect(text.utf16.count <= 3000) }
        }
        let body = String(decoding: requests[0].body, as: UTF8.self)
        #expect(body.contains("more alerts not shown"))
    }

    @Test func slackEscapesAlertTextSoDataCannotMentionTheChannel() throws {
        var notification = WebhookFixture.kpiAlert(team: "North")
        notification.alert.message = "<!channel> Tom & Jerry"
        let (requests, _) = try post([notification], options: "format: slack")
        let body = String(decoding: try #require(requests.first).body, as: UTF8.self)
        #expect(!body.contains("<!channel>"))
        #expect(body.contains("&lt;!channel&gt; Tom &amp; Jerry"))
    }

    @Test func googleChatPostHasTextAndACardsV2Card() throws {
        let notifications = [WebhookFixture.kpiAlert(team: "North"), WebhookFixture.caseAlert(key: "C9", team: "West")]
        let (requests, report) = try post(notifications, options: "format: google_chat\ntitle: SEND KPIs")
        #expect(requests.count == 1)
        #expect(report.delivered.count == 2)
        let root = try #require(requests.first?.json as? [String: Any])
        #expect((root["text"] as? String)?.hasPrefix("SEND KPIs") == true)
        let cards = try #require(root["cardsV2"] as? [[String: Any]])
        #expect(cards.count == 1)
        #expect((cards[0]["cardId"] as? String)?.isEmpty == false)
        let card = try #require(cards[0]["card"] as? [String: Any])
        let header = try #require(card["header"] as? [String: Any])
        #expect(header["title"] as? String == "SEND KPIs")
        let sections = try #require(card["sections"] as? [[String: Any]])
        // What changed and the counts; a paragraph per alert; where the report is.
        #expect(sections.count == 3)
        for section in sections {
            let widgets = try #require(section["widgets"] as? [[String: Any]])
            #expect(!widgets.isEmpty)
            for widget in widgets {
                #expect(widget.count == 1)
                #expect(widget["decoratedText"] != nil || widget["textParagraph"] != nil)
            }
        }
    }

    @Test func genericEnvelopeHasEveryDocumentedKey() throws {
        // One message with a firing and a resolved alert (the pipeline never puts two notices about one alert in
        // one message, but a message of several alerts can hold both kinds).
        let notifications = [WebhookFixture.kpiAlert(team: "North"), WebhookFixture.resolved(team: "North")]
        let (requests, report) = try post(
            notifications, options: "format: generic\nname: ops-relay\ngroup_by: [team]", batch: [("team", "North")])
        #expect(report.delivered.count == 2)
        let root = try #require(requests.first?.json as? [String: Any])
        #expect(
            Set(root.keys)
                == [
                    "version", "receiver", "status", "groupLabels", "commonLabels", "truncatedAlerts", "asOf", "alerts",
                ])
        #expect(root["version"] as? String == "1")
        #expect(root["receiver"] as? String == "ops-relay")
        #expect(root["status"] as? String == "firing")
        #expect(root["groupLabels"] as? [String: String] == ["team": "North"])
        #expect(
            root["commonLabels"] as? [String: String] == [
                "team": "North", "service": "send", "rule": "timeliness_20w", "severity": "critical",
            ])
        #expect(root["truncatedAlerts"] as? Int == 0)
        #expect(root["asOf"] as? String == "2024-03-31")
        let alerts = try #require(root["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        let keys: Set<String> = [
            "status", "rule", "title", "severity", "labels", "group", "key", "message", "period", "value", "startsAt",
            "endsAt", "fingerprint",
        ]
        for alert in alerts { #expect(Set(alert.keys) == keys) }
        #expect(alerts[0]["status"] as? String == "firing")
        #expect(alerts[0]["key"] is NSNull)
        #expect(alerts[0]["value"] as? Double == 52.5)
        #expect(alerts[0]["endsAt"] is NSNull)
        #expect(alerts[1]["status"] as? String == "resolved")
        #expect(alerts[1]["endsAt"] as? String == "2024-03-31")
        #expect((alerts[0]["fingerprint"] as? String)?.count == 16)
        #expect(alerts[0]["fingerprint"] as? String == alerts[1]["fingerprint"] as? String)
    }

    @Test func genericSignatureIsAnHMACOfTheExactBody() throws {
        let (requests, _) = try post(
            [WebhookFixture.kpiAlert(team: "North")], options: "format: generic\nsecret: correct horse battery staple")
        let request = try #require(requests.first)
        let header = try #require(request.headers["x-kpiwatch-signature"])
        let expected = HMAC<SHA256>.authenticationCode(
            for: request.body, using: SymmetricKey(data: Data("correct horse battery staple".utf8)))
        #expect(header == "sha256=" + expected.map { String(format: "%02x", $0) }.joined())
    }

    @Test func signatureMatchesRFC4231TestCase2() {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        let signature = WebhookSignature.value(for: Data("what do ya want for nothing?".utf8), secret: "Jefe")
        #expect(signature == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func unsignedFormatsSendNoSignatureHeader() throws {
        let (requests, _) = try post([WebhookFixture.kpiAlert(team: "North")], options: "format: generic")
        #expect(requests.first?.headers["x-kpiwatch-signature"] == nil)
    }

    @Test func groupByTeamSendsOneMessagePerTeamSpacedBySlacksRateLimit() throws {
        let notifications = [
            WebhookFixture.kpiAlert(team: "North"), WebhookFixture.caseAlert(key: "C1", team: "South"),
            WebhookFixture.caseAlert(key: "C2", team: "North"),
            WebhookFixture.kpiAlert(team: "South", severity: .warning),
        ]
        let clock = RecordingClock()
        let (requests, report) = try post(
            notifications, options: "format: slack\ngroup_by: [team]", clock: clock, minimumSpacing: nil)
        #expect(requests.count == 2)
        #expect(report.delivered.count == 4)
        let bodies = requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies[0].contains("team: North") && bodies[0].contains("C2") && !bodies[0].contains("South"))
        #expect(bodies[1].contains("team: South") && bodies[1].contains("C1") && !bodies[1].contains("North"))
        // The second post waited for Slack's one-message-a-second limit.
        #expect(clock.waits.count == 1)
        #expect((clock.waits.first ?? 0) > 0.5 && (clock.waits.first ?? 0) <= 1)
    }

    @Test func genericTruncationCountsTheAlertsLeftOut() throws {
        let notifications = (1...5).map { WebhookFixture.kpiAlert(team: "T\($0)") }
        let (requests, report) = try post(notifications, options: "format: generic\nmax_alerts: 2")
        let root = try #require(requests.first?.json as? [String: Any])
        #expect((root["alerts"] as? [Any])?.count == 2)
        #expect(root["truncatedAlerts"] as? Int == 3)
        #expect(report.delivered.count == 5)
    }

    @Test func teamsMessageStaysUnderItsSizeLimitAndSaysHowManyAreNotShown() throws {
        let notifications = (1...300).map { WebhookFixture.kpiAlert(team: "Team \($0)", value: Double($0)) }
        let (requests, report) = try post(notifications, options: "format: teams")
        let request = try #require(requests.first)
        #expect(request.body.count <= 24_000)
        let text = String(decoding: request.body, as: UTF8.self)
        let note = try #require(text.range(of: #"… and (\d+) more alerts not shown"#, options: .regularExpression))
        let omitted = Int(text[note].split(separator: " ")[2])!
        let shown = text.components(separatedBy: #""text":"CRITICAL""#).count - 1
        #expect(shown + omitted == 300)
        #expect(shown > 10)
        #expect(report.delivered.count == 300)
    }

    @Test func googleChatMessageStaysUnderItsSizeLimit() throws {
        let notifications = (1...200).map { WebhookFixture.kpiAlert(team: "Team \($0)") }
        let (requests, _) = try post(notifications, options: "format: google_chat")
        let request = try #require(requests.first)
        #expect(request.body.count <= 32_000)
        #expect(String(decoding: request.body, as: UTF8.self).contains("more alerts not shown"))
    }
}

/// The properties the Adaptive Card 1.5 schema requires of the elements kpiwatch uses.
enum AdaptiveCardRequiredFields {
    static func problems(inElements elements: [Any]) -> [String] {
        var problems: [String] = []
        for (index, item) in elements.enumerated() {
            guard let element = item as? [String: Any], let type = element["type"] as? String else {
                problems.append("element \(index) has no type")
                continue
            }
            switch type {
            case "RichTextBlock":
                guard let inlines = element["inlines"] as? [[String: Any]], !inlines.isEmpty else {
                    problems.append("RichTextBlock \(index) has no inlines")
                    continue
                }
                for run in inlines where !(run["type"] as? String == "TextRun" && run["text"] is String) {
                    problems.append("an inline of RichTextBlock \(index) is not a TextRun with text")
                }
            case "Container":
                guard let items = element["items"] as? [Any] else {
                    problems.append("Container \(index) has no items")
                    continue
                }
                problems += Self.problems(inElements: items)
            default:
                problems.append("element \(index) has an unexpected type \(type)")
            }
        }
        return problems
    }
}
