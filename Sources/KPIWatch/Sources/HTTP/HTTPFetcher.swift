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
        var fields = headers
        if !fields.keys.contains(where: { $0.lowercased() == "accept" }) { fields["Accept"] = "application/json" }
        switch BlockingHTTP.send(method: "GET", url: url, headers: fields, timeout: timeout) {
        case .success(let response):
            return Page(status: response.status, headers: response.headers, body: response.body)
        case .failure(let error):
            throw Diagnostic("cannot read \(origin): \(error.description)", place: origin)
        }
    }
}
