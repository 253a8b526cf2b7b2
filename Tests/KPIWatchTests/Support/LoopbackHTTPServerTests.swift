import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The test server's own promises that other tests lean on.
@Suite struct LoopbackHTTPServerTests {
    /// A client that sends a whole request and goes away without reading the answer, as a killed run does.
    func postAndHangUp(_ server: LoopbackHTTPServer, path: String) throws {
        #if canImport(Glibc)
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let client = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard client >= 0 else { throw LoopbackHTTPServer.ServerError("socket() failed") }
        defer { close(client) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = server.port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw LoopbackHTTPServer.ServerError("connect() failed") }
        let request = Data("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}".utf8)
        let sent = request.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == request.count else { throw LoopbackHTTPServer.ServerError("send() failed") }
    }

    @Test func requestsQueuedBehindASlowAnswerAreRecordedOnceEarlierConnectionsAreHandled() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        // Each answer waits, so the second request sits unread in the server's queue while the first is answered.
        server.answerAfter(0.2)
        try postAndHangUp(server, path: "/first")
        try postAndHangUp(server, path: "/second")
        try server.waitForEarlierConnections()
        // Both are recorded, in order, and the server's own request is not.
        #expect(server.requests.map(\.path) == ["/first", "/second"])
    }
}
