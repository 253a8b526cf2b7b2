import Foundation
import KPIWatchHTTPClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for webhook tests: it records every request and answers
/// with a scripted list of responses, in order (then with `fallback`). One connection at a time,
/// `Connection: close` on every answer; nothing leaves the machine.
final class LoopbackHTTPServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        /// Lower-cased names.
        var headers: [String: String]
        var body: Data

        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [String: String] = [:]
        var body: Data = Data()
        var delivery: Delivery = .whole

        /// How an answer is written: whole; as a body (`body` over and over) that never ends; or not at all.
        enum Delivery: Sendable { case whole, endless, never }

        static func status(_ status: Int, headers: [String: String] = [:], body: String = "") -> Response {
            Response(status: status, headers: headers, body: Data(body.utf8))
        }

        /// A 200 whose body repeats `chunk` until the client hangs up (or `endlessBytes` were written).
        static func endless(_ chunk: String) -> Response {
            Response(status: 200, body: Data(chunk.utf8), delivery: .endless)
        }

        /// The request is read and never answered: a server that hangs.
        static let noAnswer = Response(status: 0, delivery: .never)
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var script: [Response]
    private var fallback: Response
    private var recorded: [Request] = []
    private var responseDelay = 0.0
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    init(responses: [Response] = [], fallback: Response = .status(200, body: "ok")) throws {
        script = responses
        self.fallback = fallback
        let (socket, port) = try Self.openListener()
        listener = socket
        self.port = port
        let thread = Thread { [self] in serve() }
        thread.name = "LoopbackHTTPServer"
        thread.start()
    }

    deinit { stop() }

    /// A URL on this server whose path looks like a webhook's secret token.
    var url: URL { URL(string: "http://127.0.0.1:\(port)/hooks/T0001/B0002/s3cr3tT0ken")! }

    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// What every request is answered with once the script is used up (e.g. a day of outage).
    func answerEveryRequest(with response: Response) {
        lock.lock()
        fallback = response
        lock.unlock()
    }

    /// Seconds every answer waits after the request was recorded: a slow receiver widens the window in which a
    /// run has posted but not yet recorded a delivery.
    func answerAfter(_ seconds: Double) {
        lock.lock()
        responseDelay = seconds
        lock.unlock()
    }

    /// Returns once every connection made to this server before the call has been read and handled: a client
    /// killed just after sending a request leaves it queued here, unrecorded, for a moment. The server takes
    /// connections one at a time in the order they were made, so when its answer to a request of this call's own
    /// (not recorded, not delayed, no script entry used) arrives, the earlier ones are in `requests`.
    func waitForEarlierConnections() throws {
        let settle = URL(string: "http://127.0.0.1:\(port)\(Self.settlePath)")!
        // The timeout only keeps a broken server from hanging the suite: the answer normally takes milliseconds,
        // or `answerAfter` per queued request.
        let answer = URLSessionTransport().post(url: settle, body: Data(), headers: [:], timeout: 300)
        guard case .success(let response) = answer, response.status == 200 else {
            throw ServerError("the loopback server did not answer its own settle request: \(answer)")
        }
    }

    private static let settlePath = "/.loopback-server/settle"

    func clearRequests() {
        lock.lock()
        recorded.removeAll()
        lock.unlock()
    }

    /// Stops serving and waits for the serving thread to end before the listening socket is closed: closed
    /// earlier, its descriptor number could be handed at once to another test's socket (tests run in parallel),
    /// and the thread's next `accept` would take a connection meant for another server.
    func stop() {
        lock.lock()
        let wasStopping = stopping
        stopping = true
        lock.unlock()
        guard !wasStopping else { return }
        // Wakes a `poll` on the listener at once (Linux); elsewhere the poll's timeout does.
        _ = shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
        close(listener)
    }

    /// A port on 127.0.0.1 that nothing listens on: bound by the kernel's choice, then closed.
    static func closedPort() throws -> UInt16 {
        let (socket, port) = try openListener()
        close(socket)
        return port
    }

    /// Accepts only when `poll` says a connection waits, so that the stop flag is seen within `pollMilliseconds`
    /// however the platform treats `shutdown` on a listening socket.
    private func serve() {
        defer { finished.signal() }
        var pending = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        while !isStopping {
            guard poll(&pending, 1, Self.pollMilliseconds) > 0, !isStopping else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            handle(connection)
            close(connection)
        }
    }

    private static let pollMilliseconds: Int32 = 100

    private func handle(_ connection: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        _ = setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = Self.read(connection) else { return }
        if request.path == Self.settlePath {
            Self.write(connection, Data("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        lock.lock()
        recorded.append(request)
        let response = script.isEmpty ? fallback : script.removeFirst()
        let delay = responseDelay
        lock.unlock()
        if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
        if response.delivery == .never { return waitForHangUp(connection) }
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        var headers = response.headers
        if response.delivery == .whole { headers["Content-Length"] = String(response.body.count) }
        headers["Connection"] = "close"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        guard response.delivery == .endless else {
            Self.write(connection, Data(head.utf8) + response.body)
            return
        }
        guard Self.write(connection, Data(head.utf8)) else { return }
        var chunk = Data()
        while chunk.count < 65_536 { chunk += response.body }
        var written = 0
        while !isStopping, written < Self.endlessBytes, Self.write(connection, chunk) {
            written += chunk.count
            usleep(1000)
        }
    }

    /// An endless answer is written at about 60 MB/s, a fast network's pace, and stops after 64 MiB, more
    /// than any limit under test (the http source's default is 50 MB). Unpaced, loopback runs at gigabytes a
    /// second, faster than FoundationNetworking hands the pieces on, and the client's cancel then waited behind
    /// the flood: the test process grew to 24 GB and was killed (CI of 6877a47).
    static let endlessBytes = 64 << 20

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    /// Holds the connection open, unanswered, until the client gives up or the server stops.
    private func waitForHangUp(_ connection: Int32) {
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        _ = setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        while !isStopping {
            let count = recv(connection, &byte, 1, 0)
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return }
        }
    }

    private static func read(_ connection: Int32) -> Request? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let separator = Data("\r\n\r\n".utf8)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            data.append(contentsOf: buffer[0..<count])
            headerEnd = data.range(of: separator)
        }
        guard let headerEnd, let headText = String(data: data[..<headerEnd.lowerBound], encoding: .utf8) else {
            return nil
        }
        let lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Data(data[headerEnd.upperBound...])
        while body.count < length {
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            body.append(contentsOf: buffer[0..<count])
        }
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
    }

    /// False when the client has gone.
    @discardableResult
    private static func write(_ connection: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(connection, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    private static func openListener() throws -> (Int32, UInt16) {
        #if canImport(Glibc)
            let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let socketFD = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketFD >= 0 else { throw ServerError("socket() failed") }
        var yes: Int32 = 1
        _ = setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socketFD, 16) == 0 else {
            close(socketFD)
            throw ServerError("bind/listen on 127.0.0.1 failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        return (socketFD, UInt16(bigEndian: address.sin_port))
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 202: return "Accepted"
        case 400: return "Bad Request"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }

    struct ServerError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
