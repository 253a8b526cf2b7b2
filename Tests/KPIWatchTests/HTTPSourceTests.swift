import Foundation
import Testing

@testable import KPIWatch

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

    @Test func stopsAfterMaxPages() throws {
        let server = try LoopbackHTTPServer(fallback: .status(200, body: #"[{"id": "A"}]"#))
        let source = try source(
            "url: \(base(server))/cases\nallow_http: true\nmax_pages: 3\npagination: { page_param: page }")
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["id"]) }
        #expect(error?.message.hasSuffix("more than 3 pages") == true)
        #expect(server.requests.count == 3)
    }
}
