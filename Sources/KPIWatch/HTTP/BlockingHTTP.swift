import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What came back from one request. Header names are lower-cased.
struct HTTPResponse: Sendable, Equatable {
    var status: Int
    var headers: [String: String]
    var body: Data

    init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.body = body
    }

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A request that did not get an HTTP answer. `description` is written from the error code only:
/// Foundation's own descriptions quote the URL.
struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String
}

/// One HTTP POST, no retries: the seam that lets tests drive `HTTPDelivery` without sockets.
protocol HTTPTransport: Sendable {
    func post(url: URL, body: Data, headers: [String: String], timeout: Double) -> Result<HTTPResponse, TransportError>
}

/// POSTs with URLSession (FoundationNetworking on Linux), blocking the caller until the answer:
/// sinks are called synchronously by the engine.
struct URLSessionTransport: HTTPTransport {
    func post(url: URL, body: Data, headers: [String: String], timeout: Double) -> Result<HTTPResponse, TransportError>
    {
        BlockingHTTP.send(method: "POST", url: url, body: body, headers: headers, timeout: timeout)
    }
}

/// One HTTP request with URLSession, blocking until the answer: sources are read and sinks called
/// synchronously. No cookies, no cache, and no error text that could quote the URL.
enum BlockingHTTP {
    static func send(method: String, url: URL, body: Data? = nil, headers: [String: String], timeout: Double)
        -> Result<HTTPResponse, TransportError>
    {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }

        var request = URLRequest(
            url: url, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        let outcome = OutcomeBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                outcome.set(.failure(TransportError(description: Self.describe(error))))
            } else if let http = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    fields[String(describing: key)] = String(describing: value)
                }
                outcome.set(.success(HTTPResponse(status: http.statusCode, headers: fields, body: data ?? Data())))
            } else {
                outcome.set(.failure(TransportError(description: "network error: no HTTP response")))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return outcome.value ?? .failure(TransportError(description: "network error: no HTTP response"))
    }

    static func describe(_ error: any Error) -> String {
        guard let urlError = error as? URLError else {
            let nsError = error as NSError
            return "network error (\(nsError.domain) \(nsError.code))"
        }
        switch urlError.code {
        case .timedOut: return "network error: timed out"
        case .cannotConnectToHost: return "network error: could not connect"
        case .cannotFindHost, .dnsLookupFailed: return "network error: host not found"
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

/// Carries the completion handler's result back to the waiting thread.
private final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Result<HTTPResponse, TransportError>?

    func set(_ value: Result<HTTPResponse, TransportError>) {
        lock.lock()
        stored = value
        lock.unlock()
    }

    var value: Result<HTTPResponse, TransportError>? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
