import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

@Suite struct HTTPSourceTests {
    func source(_ options: String) throws -> HTTPSource {
        try HTTPSource.factory(CSVFixtures.dataset(options), ProjectConfig(file: "kpiwatch.yaml", directory: "."))
            as! HTTPSource
    }

    func rows(_ source: HTTPSource, _ columns: [String]) throws -> [SourceRow] {
        var rows: [SourceRow] = []
        try source.scan(columns: columns) { rows.append($0) }
        return rows
    }

    func base(_ server: LoopbackHTTPServer) -> String { "http://127.0.0.1:\(server.port)" }

    @Test func sendsTheBearerTokenAndReadsRecordsAtTheKeyPath() throws {
        let server = try LoopbackHTTPServer(responses: [
            .status(200, body: #"{"data": {"items": [{"id": "C1", "child": {"weeks": 21}}]}}"#)
        ])
        let source = try source(
            "url: \(base(server))/api/cases?la=802\nallow_http: true\nrecords: data.items\nauth: { bearer: tok-123 }")
        #expect(try rows(source, ["id", "child.weeks"]).map(\.cells) == [[.text("C1"), .int(21)]])
        #expect(server.requests.first?.headers["authorization"] == "Bearer tok-123")
        #expect(server.requests.first?.path == "/api/cases?la=802")
        #expect(source.origin == "http://127.0.0.1:\(server.port)/api/cases")
    }

    @Test func sendsBasicCredentials() throws {
        let server = try LoopbackHTTPServer(responses: [.status(200, body: "[]")])
        let source = try source(
            "url: \(base(server))/cases\nallow_http: true\nauth: { basic: { username: svc, password: pa55 } }")
        _ = try rows(source, ["id"])
        #expect(
            server.requests.first?.headers["authorization"] == "Basic " + Data("svc:pa55".utf8).base64EncodedString())
    }

    @Test func followsNextLinksNumberingRecordsAcrossPages() throws {
        let server = try LoopbackHTTPServer(responses: [
            .status(200, body: #"{"items": [{"id": "A"}, {"id": "B"}], "links": {"next": "/cases?cursor=xyz"}}"#),
            .status(200, body: #"{"items": [{"id": "C"}], "links": {"next": null}}"#),
        ])
        let source = try source(
            "url: \(base(server))/cases\nallow_http: true\nrecords: items\npagination: { next: links.next }")
        let read = try rows(source, ["id"])
        #expect(read.map(\.cells) == [[.text("A")], [.text("B")], [.text("C")]])
        #expect(read.map(\.number) == [1, 2, 3])
        #expect(server.requests.map(\.path) == ["/cases", "/cases?cursor=xyz"])
    }

    @Test func pagesByNumberUntilAnEmptyPage() throws {
        let server = try LoopbackHTTPServer(responses: [
            .status(200, body: #"[{"id": "A"}, {"id": "B"}]"#), .status(200, body: #"[{"id": "C"}]"#),
            .status(200, body: "[]"),
        ])
        let source = try source(
            "url: \(base(server))/cases\nallow_http: true\n"
                + "pagination: { page_param: page, start: 1, size_param: per_page, size: 2 }")
        #expect(try rows(source, ["id"]).count == 3)
        #expect(
            server.requests.map(\.path) == [
                "/cases?page=1&per_page=2", "/cases?page=2&per_page=2", "/cases?page=3&per_page=2",
            ])
    }

    @Test func followsTheLinkHeadersNextRelation() throws {
        let server = try LoopbackHTTPServer(responses: [
            .status(
                200, headers: ["Link": "</cases?page=1>; rel=\"prev\", </cases?page=2>; rel=\"next\""],
                body: #"[{"id": "A"}]"#),
            .status(200, body: #"[{"id": "B"}]"#),
        ])
        let source = try source("url: \(base(server))/cases\nallow_http: true\npagination: { link_header: true }")
        #expect(try rows(source, ["id"]).map(\.cells) == [[.text("A")], [.text("B")]])
    }

    @Test func unauthorisedIsAnErrorThatShowsNeitherTokenNorQuery() throws {
        let server = try LoopbackHTTPServer(responses: [.status(401, body: "bad token tok-secret")])
        let source = try source(
            "url: \(base(server))/cases?api_key=k3y\nallow_http: true\nauth: { bearer: tok-secret }")
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["id"]) }
        let text = error?.description ?? ""
        #expect(text.contains("http://127.0.0.1:\(server.port)/cases, page 1: HTTP 401"))
        #expect(!text.contains("tok-secret") && !text.contains("k3y"))
    }

    @Test func plainHTTPIsRefusedWithoutAllowHTTP() throws {
        let error = #expect(throws: Diagnostics.self) { try source("url: http://portal.example/cases") }
        #expect(error?.items.first?.message.contains("plain http") == true)
        #expect(error?.items.first?.hint?.contains("allow_http: true") == true)
    }

    @Test func nextLinkToAnotherHostIsRefused() throws {
        let server = try LoopbackHTTPServer(responses: [
            .status(200, body: #"{"items": [], "next": "http://elsewhere.example/steal"}"#)
        ])
        let source = try source(
            "url: \(base(server))/cases\nallow_http: true\nrecords: items\npagination: { next: next }")
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["id"]) }
        #expect(error?.message.contains("another host") == true)
    }

    @Test func aRedirectToAnotherHostIsNotFollowedWithTheCredentials() throws {
        let server = try LoopbackHTTPServer()
        // Another host as far as credentials go (a name of this machine, not the url's 127.0.0.1).
        let other = try LoopbackHTTPServer(responses: [
            .status(302, headers: ["Location": "http://localhost:\(server.port)/steal"])
        ])
        let source = try source("url: \(base(other))/cases\nallow_http: true\nauth: { bearer: tok-123 }")
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["id"]) }
        #expect(error?.message.hasSuffix("page 1: HTTP 302") == true)
        #expect(error?.hint?.contains("redirected to another host") == true)
        #expect(server.requests.isEmpty)
        #expect(other.requests.count == 1)
    }

    @Test func aRedirectOnTheSameHostIsFollowed() throws {
        let server = try LoopbackHTTPServer(responses: [
            .status(301, headers: ["Location": "/v2/cases"]), .status(200, body: #"[{"id": "A"}]"#),
        ])
        let source = try source("url: \(base(server))/cases\nallow_http: true\nauth: { bearer: tok-123 }")
        #expect(try rows(source, ["id"]).map(\.cells) == [[.text("A")]])
        #expect(server.requests.map(\.path) == ["/cases", "/v2/cases"])
        #expect(server.requests.last?.headers["authorization"] == "Bearer tok-123")
    }

    @Test func stopsAfterMaxPages() throws {
        let server = try LoopbackHTTPServer(fallback: .status(200, body: #"[{"id": "A"}]"#))
        let source = try source(
            "url: \(base(server))/cases\nallow_http: true\nmax_pages: 3\npagination: { page_param: page }")
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["id"]) }
        #expect(error?.message.hasSuffix("more than 3 pages") == true)
        #expect(server.requests.count == 3)
    }

    @Test func retries503And429HonouringRetryAfterLikeTheWebhookSink() throws {
        let server = try LoopbackHTTPServer(responses: [
            .status(503, headers: ["Retry-After": "3"]), .status(429), .status(200, body: #"[{"id": "A"}]"#),
        ])
        var source = try source("url: \(base(server))/cases\nallow_http: true")
        let clock = RecordingClock()
        source.clock = clock.clock
        #expect(try rows(source, ["id"]).map(\.cells) == [[.text("A")]])
        #expect(server.requests.count == 3)
        // Retry-After's 3 s, then the backoff after a second failure (2 s, jitter at its top).
        #expect(clock.waits == [3, 2])
    }

    @Test func givesUpAfterMaxAttemptsWithAnErrorAtTheURLLine() throws {
        let server = try LoopbackHTTPServer(fallback: .status(502, body: "upstream tok-secret"))
        var source = try source("allow_http: true\nmax_attempts: 2\nurl: \(base(server))/cases")
        let clock = RecordingClock()
        source.clock = clock.clock
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["id"]) }
        #expect(server.requests.count == 2)
        #expect(error?.message.hasSuffix("page 1: HTTP 502 (gave up after 2 attempts)") == true)
        #expect(error?.location?.line == 3)
        #expect(error?.description.contains("tok-secret") == false)
    }

    @Test func aRetryAfterLongerThanARunWaitsEndsAtOnce() throws {
        let server = try LoopbackHTTPServer(fallback: .status(429, headers: ["Retry-After": "7200"]))
        var source = try source("url: \(base(server))/cases\nallow_http: true")
        let clock = RecordingClock()
        source.clock = clock.clock
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["id"]) }
        #expect(server.requests.count == 1 && clock.waits.isEmpty)
        #expect(error?.message.contains("asked to wait 7200 s") == true)
        #expect(error?.hint?.contains("rate-limiting") == true)
    }

    @Test func aBodyThatNeverEndsIsCutAtMaxBytesAndNotFetchedAgain() throws {
        let server = try LoopbackHTTPServer(responses: [.endless(#"{"id": "A"},"#)])
        let source = try source("url: \(base(server))/cases\nallow_http: true\nmax_bytes: 200000")
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["id"]) }
        #expect(error?.message.contains("page 1: the answer is larger than max_bytes (200000 bytes)") == true)
        #expect(error?.location == SourceLocation(file: "kpiwatch.yaml", line: 3, column: 12))
        #expect(error?.hint?.contains("raise max_bytes") == true)
        #expect(server.requests.count == 1)
    }

    @Test func aDeclaredLengthOverMaxBytesIsRefusedBeforeReading() throws {
        let big = "[" + String(repeating: #"{"id": "A"},"#, count: 200) + #"{"id": "B"}]"#
        let server = try LoopbackHTTPServer(responses: [.status(200, body: big)])
        let source = try source("url: \(base(server))/cases\nallow_http: true\nmax_bytes: 1000")
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["id"]) }
        #expect(error?.message.contains("larger than max_bytes (1000 bytes)") == true)
        // The same page under a limit it fits is read whole.
        let roomy = try LoopbackHTTPServer(responses: [.status(200, body: big)])
        let fits = try self.source("url: \(base(roomy))/cases\nallow_http: true\nmax_bytes: \(big.utf8.count)")
        #expect(try rows(fits, ["id"]).count == 201)
    }

    @Test func maxBytesAndMaxAttemptsHaveStatedDefaultsAndAreChecked() throws {
        let source = try source("url: https://portal.example/cases")
        #expect(source.options.maxBytes == 50_000_000)
        #expect(source.options.maxAttempts == 4)
        #expect(source.options.timeout == 30)
        let error = #expect(throws: Diagnostics.self) {
            try self.source("url: https://portal.example/cases\nmax_bytes: lots\nmax_attempts: 0")
        }
        #expect(error?.items.map(\.location?.line) == [2, 3])
    }

    /// Through the built executable: an API whose answer never ends stops the check at the default
    /// limit with an error at the dataset's line, exit 3, instead of growing until the process dies.
    @Test func checkStopsAnEndlessAnswerAtTheDefaultLimitAndExits3() throws {
        let server = try LoopbackHTTPServer(responses: [.endless(#"{"id": "C1", "team": "North"},"#)])
        let folder = TemporaryDirectory()
        folder.write(
            "rules.yaml",
            """
            kpis:
              - id: open_cases
                dataset: cases
                period: snapshot
                value: count()
                unit: count
                thresholds: { warning: value > 100 }
            """)
        let project = folder.write(
            "kpiwatch.yaml",
            """
            version: 1
            timezone: Europe/London
            rules: [rules.yaml]
            state: state/state.sqlite
            datasets:
              cases:
                source: http
                url: ${env:CASES_API}
                allow_http: true
                fields:
                  case_id: { column: id, type: string, key: true }
                  team: team
            sinks:
              - type: stdout
            """)
        let result = try runKPIWatch(
            ["check", "--config", project, "--as-of", "2024-03-31"],
            environment: ["CASES_API": "\(base(server))/cases?token=t0k"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("kpiwatch.yaml:6:3: error: "), "\(result.stderr)")  // the dataset, as max_bytes is not set
        #expect(result.stderr.contains("the answer is larger than max_bytes (50000000 bytes)"), "\(result.stderr)")
        #expect(!result.stderr.contains("t0k"))
        #expect(server.requests.count == 1)
    }
}
