import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One GET with URLSession, blocking until the answer: sources are read synchronously.
struct HTTPFetcher: Sendable {
    struct Page: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
    }

    var timeout: Double

    /// - Throws: a `Diagnostic` that names `origin` only: Foundation's own messages quote the URL.
    func get(_ url: URL, headers: [String: String], origin: String) throws -> Page {
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
        request.httpMethod = "GET"
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        let box = PageBox()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            if let error {
                box.set(.failure(Diagnostic("cannot read \(origin): \(Self.describe(error))", place: origin)))
            } else if let http = response as? HTTPURLResponse {
                var fields: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    fields[String(describing: key).lowercased()] = String(describing: value)
                }
                box.set(.success(Page(status: http.statusCode, headers: fields, body: data ?? Data())))
            } else {
                box.set(.failure(Diagnostic("cannot read \(origin): no HTTP response", place: origin)))
            }
            done.signal()
        }.resume()
        done.wait()
        return try (box.value ?? .failure(Diagnostic("cannot read \(origin): no HTTP response", place: origin))).get()
    }

    static func describe(_ error: any Error) -> String {
        guard let urlError = error as? URLError else { return "network error" }
        switch urlError.code {
        case .timedOut: return "timed out"
        case .cannotConnectToHost: return "could not connect"
        case .cannotFindHost, .dnsLookupFailed: return "host not found"
        case .networkConnectionLost: return "connection lost"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return "TLS handshake failed"
        default: return "network error (URLError \(urlError.code.rawValue))"
        }
    }
}

private final class PageBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Result<HTTPFetcher.Page, Diagnostic>?

    func set(_ value: Result<HTTPFetcher.Page, Diagnostic>) { lock.withLock { stored = value } }
    var value: Result<HTTPFetcher.Page, Diagnostic>? { lock.withLock { stored } }
}
