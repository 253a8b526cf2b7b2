import Foundation
import KPIWatchCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What came back from one request. Header names are lower-cased.
package struct HTTPResponse: Sendable, Equatable {
    package var status: Int
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }

    package func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A request that did not get a usable HTTP answer. `description` is written from the error code
/// only: Foundation's own descriptions quote the URL.
package struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// No answer (refused, timed out, host not found, …): may work on another try.
        case network
        /// The answer's body passed the size limit: another try would only fetch it again.
        case tooLarge(limit: Int)
    }

    package var description: String
    package var kind: Kind = .network

    package var isWorthRetrying: Bool { kind == .network }
}

/// One HTTP POST, no retries: the seam that lets tests drive `HTTPDelivery` without sockets.
package protocol HTTPTransport: Sendable {
    func post(url: URL, body: Data, headers: [String: String], timeout: Double) -> Result<HTTPResponse, TransportError>
}

/// POSTs with URLSession (FoundationNetworking on Linux), blocking the caller until the answer:
/// sinks are called synchronously by the engine.
package struct URLSessionTransport: HTTPTransport {
    /// A webhook's answer is a status and a short text; more is not read.
    package static let maxAnswerBytes = 1_000_000

    package func post(url: URL, body: Data, headers: [String: String], timeout: Double) -> Result<
        HTTPResponse, TransportError
    > {
        BlockingHTTP.send(
            method: "POST", url: url, body: body, headers: headers, timeout: timeout,
            maxResponseBytes: Self.maxAnswerBytes)
    }

    package init() {

    }
}

/// One HTTP request with URLSession, blocking until the answer: sources are read and sinks called
/// synchronously. No cookies, no cache, and no error text that could quote the URL. The body is
/// read as it arrives and the request cancelled once it passes `maxResponseBytes`, so an answer
/// that never ends cannot fill the memory. The cancel is asynchronous in FoundationNetworking, which has no
/// backpressure: from a sender faster than it hands pieces on (gigabytes a second over loopback) it reads on
/// until the cancel gets its turn.
package enum BlockingHTTP {
    package static func send(
        method: String, url: URL, body: Data? = nil, headers: [String: String], timeout: Double,
        maxResponseBytes: Int
    ) -> Result<HTTPResponse, TransportError> {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let collector = ResponseCollector(limit: maxResponseBytes)
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }

        var request = URLRequest(
            url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        session.dataTask(with: request).resume()
        return collector.wait()
    }

    package static func describe(_ error: any Error) -> String {
        guard let urlError = error as? URLError else {
            let nsError = error as NSError
            return "network error (\(nsError.domain) \(nsError.code))"
        }
        switch urlError.code {
        case .timedOut: return "network error: timed out"
        case .cannotConnectToHost: return "network error: could not connect"
        case .cannotFindHost, .dnsLookupFailed: return "network error: host not found (DNS lookup failed)"
        case .networkConnectionLost: return "network error: connection lost"
        case .notConnectedToInternet: return "network error: not connected"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return "network error: TLS handshake failed"
        case .badServerResponse: return "network error: bad server response"
        default: return "network error (URLError \(urlError.code.rawValue))"
        }
    }
}

/// Receives one task's answer piece by piece on URLSession's queue and hands the result to the
/// waiting thread.
private final class ResponseCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let limit: Int
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var response: HTTPURLResponse?
    private var body = Data()
    private var overLimit = false
    private var outcome: Result<HTTPResponse, TransportError>?

    init(limit: Int) {
        self.limit = limit
    }

    func wait() -> Result<HTTPResponse, TransportError> {
        finished.wait()
        lock.lock()
        defer { lock.unlock() }
        return outcome ?? .failure(TransportError(description: "network error: no HTTP response"))
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        lock.lock()
        self.response = response as? HTTPURLResponse
        // A declared length over the limit is refused before a byte of the body is read.
        if response.expectedContentLength > Int64(limit) { overLimit = true }
        let refuse = overLimit
        lock.unlock()
        completionHandler(refuse ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        if !overLimit, body.count + data.count > limit {
            overLimit = true
            body = Data()
        }
        let cancel = overLimit
        if !overLimit { body.append(data) }
        lock.unlock()
        if cancel { dataTask.cancel() }
    }

    /// A redirect is followed only on the same scheme, host and port: the request carries the
    /// credentials (an http source's `auth:`) or the alerts (a webhook's body). Refused, the 3xx
    /// itself is the answer.
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        let from = task.originalRequest?.url
        let to = request.url
        let sameOrigin =
            from?.scheme?.lowercased() == to?.scheme?.lowercased() && from?.host?.lowercased() == to?.host?.lowercased()
            && from?.port == to?.port
        completionHandler(sameOrigin ? request : nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock()
        if overLimit {
            outcome = .failure(
                TransportError(
                    description: "the answer is larger than \(limit) bytes", kind: .tooLarge(limit: limit)))
        } else if let error {
            outcome = .failure(TransportError(description: BlockingHTTP.describe(error)))
        } else if let response {
            var fields: [String: String] = [:]
            for (key, value) in response.allHeaderFields {
                fields[String(describing: key)] = String(describing: value)
            }
            outcome = .success(HTTPResponse(status: response.statusCode, headers: fields, body: body))
        } else {
            outcome = .failure(TransportError(description: "network error: no HTTP response"))
        }
        lock.unlock()
        finished.signal()
    }
}
