import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// A webhook sink's options: what is refused, where, and that the URL is never quoted.
@Suite("Webhook configuration")
struct WebhookConfigTests {
    let secretURL = "http://relay.example.org/hooks/T0001/B0002/s3cr3tT0ken"

    func diagnostics(_ yaml: String) -> [Diagnostic] {
        do {
            _ = try WebhookSink(config: WebhookFixture.config(yaml))
            return []
        } catch let error as Diagnostic {
            return [error]
        } catch let error as Diagnostics {
            return error.items
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    func expectNoURL(in text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!text.contains("s3cr3tT0ken"), sourceLocation: sourceLocation)
        #expect(!text.contains("relay.example.org"), sourceLocation: sourceLocation)
    }

    @Test func httpURLIsRefusedWithoutAllowHTTPAtTheSinksLocation() throws {
        let yaml = "type: webhook\nformat: teams\nurl: \(secretURL)"
        let found = diagnostics(yaml)
        #expect(found.count == 1)
        let diagnostic = try #require(found.first)
        #expect(diagnostic.message.contains("plain http"))
        #expect(diagnostic.hint?.contains("allow_http: true") == true)
        #expect(diagnostic.location == (try WebhookFixture.config(yaml)).location)
        expectNoURL(in: diagnostic.description)
    }

    @Test func allowHTTPAcceptsAnHTTPRelay() throws {
        let sink = try WebhookSink(config: WebhookFixture.config("type: webhook\nurl: \(secretURL)\nallow_http: true"))
        #expect(sink.format == .generic)
        #expect(sink.name == "webhook-generic")
    }

    @Test func httpsURLIsAcceptedWithEveryOption() throws {
        let sink = try WebhookSink(
            config: WebhookFixture.config(
                """
                type: webhook
                name: send-team-channel
                format: google_chat
                url: https://chat.example.org/v1/spaces/AAA/messages?key=k&token=t
                group_by: [team, service]
                timeout: 5
                max_attempts: 2
                max_alerts: 10
                title: SEND KPIs
                match: { severity: critical }
                """))
        #expect(sink.name == "send-team-channel")
        #expect(sink.format == .googleChat)
        #expect(sink.groupBy == ["team", "service"])
        #expect(sink.options.timeout == 5)
        #expect(sink.options.maxAttempts == 2)
        #expect(sink.options.maxAlerts == 10)
        #expect(sink.options.title == "SEND KPIs")
    }

    @Test func otherSchemesAndMissingOrBrokenURLsAreRefusedWithoutQuotingThem() {
        for url in ["ftp://relay.example.org/hooks/s3cr3tT0ken", "relay.example.org/s3cr3tT0ken", "https://"] {
            let found = diagnostics("type: webhook\nurl: \"\(url)\"")
            #expect(found.count == 1)
            for diagnostic in found { expectNoURL(in: diagnostic.description) }
        }
        let missing = diagnostics("type: webhook\nformat: slack")
        #expect(missing.first?.message == "webhook sink has no 'url'")
        #expect(missing.first?.hint?.contains("${env:") == true)
    }

    @Test func unknownFormatSuggestsTheNearestOne() {
        let found = diagnostics("type: webhook\nformat: slak\nurl: https://hooks.example.org/x")
        #expect(found.first?.message == "unknown webhook format 'slak'")
        #expect(found.first?.hint == "did you mean 'slack'?")
        #expect(found.first?.location?.line == 2)
    }

    /// The loader checks a sink's keys against its type's descriptor, before the sink reads them.
    @Test func misspeltOptionIsReportedNotIgnored() throws {
        let folder = TemporaryDirectory()
        let file = folder.write(
            "kpiwatch.yaml",
            "version: 1\nsinks:\n  - type: webhook\n    url: https://hooks.example.org/x\n    gruop_by: [team]\n")
        let error = try #require(throws: Diagnostics.self) { try Engine.standard().loadConfig(path: file) }
        #expect(
            error.items.map(\.description) == [
                "\(file):5:5: error: unknown key 'gruop_by' in a webhook sink; did you mean 'group_by'?"
            ])
    }

    @Test func secretIsRefusedForChatFormats() {
        let found = diagnostics("type: webhook\nformat: teams\nurl: https://hooks.example.org/x\nsecret: abc")
        #expect(found.first?.message.contains("generic") == true)
        #expect(!found.contains { $0.description.contains("abc") })
    }

    @Test func everyBadOptionIsReportedAtOnce() {
        let found = diagnostics(
            "type: webhook\nurl: http://relay.example.org/s3cr3tT0ken\ntimeout: -1\nmax_attempts: many\n"
                + "allow_http: maybe")
        #expect(found.count == 4)
        #expect(found.contains { $0.message.contains("'timeout'") && $0.location?.line == 3 })
        #expect(found.contains { $0.message.contains("'max_attempts'") && $0.location?.line == 4 })
        #expect(found.contains { $0.message.contains("'allow_http'") })
        for diagnostic in found { expectNoURL(in: diagnostic.description) }
    }

    @Test func theSinkDescribesItselfWithoutItsURL() throws {
        let sink = try WebhookSink(config: WebhookFixture.config("type: webhook\nurl: \(secretURL)\nallow_http: true"))
        expectNoURL(in: String(describing: sink))
        expectNoURL(in: String(reflecting: sink))
        var dumped = ""
        dump(sink, to: &dumped)
        expectNoURL(in: dumped)
        expectNoURL(in: String(reflecting: sink.delivery))
    }

    @Test func redactionReplacesEveryFormOfTheURL() throws {
        let url = try #require(
            URL(string: "https://prod.example.org/workflows/abc/triggers/manual/paths/invoke?sig=S3CRET%2Bvalue"))
        let text =
            "failed: https://prod.example.org/workflows/abc/triggers/manual/paths/invoke?sig=S3CRET+value and "
            + "/workflows/abc/triggers/manual/paths/invoke?sig=S3CRET%2Bvalue and sig=S3CRET%2Bvalue"
        let redacted = Redaction.redact(text, url: url)
        #expect(!redacted.contains("S3CRET"))
        #expect(!redacted.contains("workflows/abc"))
        #expect(redacted.contains("<webhook url>"))
    }

    @Test func factoryBuildsAWebhookSinkWhoseURLIsAReference() throws {
        let folder = TemporaryDirectory()
        // The file as written; the node is what the loader hands on once ${env:…} is expanded.
        let file = folder.write("kpiwatch.yaml", "type: webhook\nformat: slack\nurl: ${env:HOOK}\n")
        let project = ProjectConfig(file: file, directory: folder.path)
        let sink = try WebhookSink.factory(
            WebhookFixture.config("type: webhook\nformat: slack\nurl: https://hooks.example.org/x", file: file),
            project)
        #expect(sink.name == "webhook-slack")
        let literal = folder.write("literal.yaml", "type: webhook\nformat: slack\nurl: https://hooks.example.org/x\n")
        #expect(throws: Diagnostics.self) {
            _ = try WebhookSink.factory(
                WebhookFixture.config("type: webhook\nformat: slack\nurl: https://hooks.example.org/x", file: literal),
                project)
        }
    }
}
