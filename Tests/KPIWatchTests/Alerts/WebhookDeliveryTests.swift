import Foundation
import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchEngine
@testable import KPIWatchHTTPClient

/// Retries, rate limits and failures, against a real HTTP server on 127.0.0.1.
@Suite("Webhook delivery", .serialized)
struct WebhookDeliveryTests {
    let notifications = [WebhookFixture.kpiAlert(team: "North"), WebhookFixture.caseAlert(key: "C7", team: "North")]

    func deliver(
        _ responses: [LoopbackHTTPServer.Response], format: String = "generic", extra: String = "",
        clock: RecordingClock = RecordingClock(), fallback: LoopbackHTTPServer.Response = .status(200, body: "ok")
    ) throws -> (server: LoopbackHTTPServer, report: DeliveryReport) {
        let server = try LoopbackHTTPServer(responses: responses, fallback: fallback)
        defer { server.stop() }
        let sink = try WebhookFixture.sink(
            "type: webhook\nformat: \(format)\nurl: \(server.url)\nallow_http: true\n\(extra)", clock: clock)
        return (server, WebhookFixture.deliver(notifications, through: sink, clock: clock))
    }

    /// Each answer another attempt may cure is tried once more after a second (the backoff's first step, or what
    /// `Retry-After` asks), and the notifications are delivered on the second request.
    @Test(arguments: [
        (LoopbackHTTPServer.Response.status(500, body: "oops"), "generic"),
        (.status(503), "generic"),
        (.status(408), "generic"),
        (.status(429, headers: ["Retry-After": "1"]), "teams"),
        (.status(200, body: "rate_limited"), "slack"),
    ])
    func aPassingFailureIsRetriedAndDeliveredOnTheSecondRequest(
        _ answer: LoopbackHTTPServer.Response, format: String
    ) throws {
        let clock = RecordingClock()
        let (server, report) = try deliver([answer], format: format, clock: clock)
        #expect(server.requests.count == 2)
        #expect(report.delivered == Set(notifications.map(\.deliveryID)))
        #expect(report.failures.isEmpty)
        #expect(clock.waits == [1])
    }

    @Test func retryAfterAsAnHTTPDateIsHonoured() throws {
        // The wait is measured from the clock's now, frozen: from the real time it shrank by however long the first
        // post took and by the part second the HTTP date drops, and fell to 1 or less on a loaded machine.
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let clock = RecordingClock(frozenAt: now)
        let inThreeSeconds = now.addingTimeInterval(3)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let (server, report) = try deliver(
            [.status(503, headers: ["Retry-After": formatter.string(from: inThreeSeconds)])], clock: clock)
        #expect(server.requests.count == 2)
        #expect(report.delivered.count == 2)
        #expect(clock.waits == [3])
    }

    @Test func slackRateLimitedBodyInA200IsRetried() throws {
        let clock = RecordingClock()
        let (server, report) = try deliver(
            [.status(200, body: "rate_limited"), .status(200, body: #"{"ok":false,"error":"rate_limited"}"#)],
            format: "slack", clock: clock)
        #expect(server.requests.count == 3)
        #expect(report.delivered.count == 2)
        #expect(clock.waits == [1, 2])
    }

    @Test func a400IsFinalAfterOneRequest() throws {
        let clock = RecordingClock()
        let (server, report) = try deliver([.status(400, body: "invalid_payload")], format: "slack", clock: clock)
        #expect(server.requests.count == 1)
        #expect(report.delivered.isEmpty)
        #expect(report.failures.count == 2)
        let reason = try #require(report.failures[notifications[0].deliveryID])
        #expect(reason.contains("HTTP 400"))
        #expect(reason.contains("invalid_payload"))
        #expect(clock.waits.isEmpty)
        #expect(!reason.contains(String(server.port)))
        #expect(!reason.contains("s3cr3tT0ken"))
    }

    @Test func aReceiversErrorTextCannotDriveTheTerminal() throws {
        let (_, report) = try deliver([.status(400, body: "bad\u{1B}[2J\rpayload\u{202E}")])
        let reason = try #require(report.failures[notifications[0].deliveryID])
        #expect(reason.hasSuffix("HTTP 400: bad\\u{1B}[2J payload\\u{202E}"), "\(reason)")
        #expect(!reason.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E })
    }

    @Test func retryAfterLongerThanARunWaitsFailsWithoutWaiting() throws {
        let clock = RecordingClock()
        let (server, report) = try deliver([.status(429, headers: ["Retry-After": "3600"])], clock: clock)
        #expect(server.requests.count == 1)
        #expect(clock.waits.isEmpty)
        #expect(report.failures[notifications[0].deliveryID]?.contains("3600 s") == true)
    }

    @Test func persistent500FailsAfterMaxAttemptsWithBackoff() throws {
        let clock = RecordingClock()
        let failing = try LoopbackHTTPServer(responses: [], fallback: .status(502))
        defer { failing.stop() }
        let sink = try WebhookFixture.sink(
            "type: webhook\nurl: \(failing.url)\nallow_http: true\nmax_attempts: 3", clock: clock)
        let failed = WebhookFixture.deliver(notifications, through: sink, clock: clock)
        #expect(failing.requests.count == 3)
        #expect(clock.waits == [1, 2])
        #expect(failed.failures[notifications[0].deliveryID]?.contains("HTTP 502 (gave up after 3 attempts)") == true)
    }

    @Test func unreachableServerFailsAfterMaxAttempts() throws {
        let port = try LoopbackHTTPServer.closedPort()
        let url = "http://127.0.0.1:\(port)/hooks/T0001/B0002/s3cr3tT0ken"
        let clock = RecordingClock()
        let sink = try WebhookFixture.sink(
            "type: webhook\nurl: \(url)\nallow_http: true\nmax_attempts: 3\ntimeout: 2", clock: clock)
        let report = WebhookFixture.deliver(notifications, through: sink, clock: clock)
        #expect(report.delivered.isEmpty)
        let reason = try #require(report.failures[notifications[0].deliveryID])
        #expect(reason.contains("network error"))
        #expect(reason.contains("gave up after 3 attempts"))
        #expect(clock.waits == [1, 2])
        #expect(!reason.contains("s3cr3tT0ken") && !reason.contains(String(port)) && !reason.contains("127.0.0.1"))
    }

    @Test func aWebhookThatNeverAnswersTimesOutOnEachAttempt() throws {
        let clock = RecordingClock()
        let (server, report) = try deliver(
            [], extra: "timeout: 0.5\nmax_attempts: 2", clock: clock, fallback: .noAnswer)
        // No count of the server's requests: it reads one connection at a time, and under load a
        // request may still wait unread when it stops. "timed out" (not "could not connect") says
        // the connection was accepted and left unanswered.
        #expect(report.delivered.isEmpty)
        let reason = try #require(report.failures[notifications[0].deliveryID])
        #expect(reason.contains("network error: timed out (gave up after 2 attempts)"))
        #expect(clock.waits == [1])
        #expect(!reason.contains("s3cr3tT0ken") && !reason.contains(String(server.port)))
    }

    @Test func aHostThatDoesNotResolveIsAClearFailure() throws {
        // `.invalid` is reserved (RFC 2606): it never resolves, so nothing leaves the machine.
        let sink = try WebhookFixture.sink(
            "type: webhook\nurl: https://hooks.kpiwatch.invalid/services/T0001/s3cr3tT0ken\nmax_attempts: 1")
        let report = WebhookFixture.deliver(notifications, through: sink)
        #expect(report.delivered.isEmpty)
        let reason = try #require(report.failures[notifications[0].deliveryID])
        #expect(reason.contains("host not found"), "\(reason)")
        #expect(!reason.contains("s3cr3tT0ken") && !reason.contains("kpiwatch.invalid"))
    }

    @Test func anAnswerThatNeverEndsIsCutOffAndNotRetried() throws {
        let clock = RecordingClock()
        let (server, report) = try deliver([.endless("ok ")], clock: clock)
        #expect(server.requests.count == 1 && clock.waits.isEmpty)
        let reason = try #require(report.failures[notifications[0].deliveryID])
        #expect(reason.contains("the answer is larger than 1000000 bytes"))
    }

    @Test func aRedirectToAnotherHostDoesNotCarryTheAlerts() throws {
        let elsewhere = try LoopbackHTTPServer()
        defer { elsewhere.stop() }
        let (server, report) = try deliver([.status(307, headers: ["Location": "http://localhost:\(elsewhere.port)/x"])]
        )
        #expect(server.requests.count == 1 && elsewhere.requests.isEmpty)
        #expect(report.failures[notifications[0].deliveryID]?.contains("HTTP 307") == true)
    }

    @Test func dryRunSendsNothing() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let sink = try WebhookFixture.sink("type: webhook\nurl: \(server.url)\nallow_http: true")
        let context = RunContext(asOf: WebhookFixture.asOf, projectFile: "kpiwatch.yaml", dryRun: true)
        let report = WebhookFixture.deliver(notifications, through: sink, context: context)
        #expect(server.requests.isEmpty)
        #expect(report.delivered.isEmpty)
    }

    @Test func backoffDoublesFromOneSecondAndStopsAtSixty() {
        let policy = RetryPolicy(maxAttempts: 10)
        #expect((1...8).map { policy.backoff(afterAttempt: $0, random: 1) } == [1, 2, 4, 8, 16, 32, 60, 60])
        #expect(policy.backoff(afterAttempt: 3, random: 0) == 2)
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 784_111_747)  // Sun, 06 Nov 1994 08:49:07 GMT
        #expect(RetryPolicy.retryAfter("120", now: now) == 120)
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 30)
        #expect(RetryPolicy.retryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == 30)
        #expect(RetryPolicy.retryAfter("Sun Nov  6 08:49:37 1994", now: now) == 30)
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.retryAfter(nil, now: now) == nil)
    }

    @Test func pacerSpacesPostsToTheSameWebhookOnly() {
        let recorder = RecordingClock()
        let frozen = Date()
        let base = recorder.clock
        let clock = DeliveryClock(now: { frozen }, sleep: base.sleep, random: base.random)
        let pacer = PostPacer()
        pacer.waitTurn(for: "a", spacing: 1, clock: clock)
        pacer.waitTurn(for: "b", spacing: 1, clock: clock)
        pacer.waitTurn(for: "a", spacing: 1, clock: clock)
        pacer.waitTurn(for: "a", spacing: 1, clock: clock)
        #expect(recorder.waits == [1, 2])
    }

    @Test func googleChatIsPacedPerSpaceNotPerWebhookToken() {
        let one = URL(string: "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k1&token=t1")!
        let two = URL(string: "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k2&token=t2")!
        #expect(WebhookFormat.googleChat.pacingKey(for: one) == WebhookFormat.googleChat.pacingKey(for: two))
        #expect(WebhookFormat.slack.pacingKey(for: one) != WebhookFormat.slack.pacingKey(for: two))
    }
}
