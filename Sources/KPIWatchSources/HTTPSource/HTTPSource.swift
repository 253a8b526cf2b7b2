import Foundation
import KPIWatchCore
import KPIWatchEngine
import KPIWatchHTTPClient

/// `source: http`: records from a JSON API such as an EHC hub, page after page.
///
/// Every page must answer 2xx with JSON holding the records (the body, or the array at
/// `records:`). Records are numbered from 1 across pages ("record 240"). Messages name the
/// API as scheme://host/path: never its query string, and never the credentials.
/// The columns are the keys of the first page's records (nested objects flattened to `a.b`).
public struct HTTPSource: Source {
    package let options: HTTPSourceOptions
    /// Backoff waits between retries; tests record them instead of sleeping.
    package var clock: DeliveryClock = .system
    public var origin: String { HTTPSourceOptions.origin(of: options.url) }

    package init(options: HTTPSourceOptions) {
        self.options = options
    }

    public static let factory: SourceFactory = { dataset, _ in
        HTTPSource(options: try HTTPSourceOptions(dataset: dataset))
    }

    public func columnNames() throws -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        try pages { records in
            for case let object as [String: Any] in records {
                for name in JSONRecord(object: object).columns() where seen.insert(name).inserted { names.append(name) }
            }
            return false
        }
        return names
    }

    public func scan(columns: [String], _ visit: (SourceRow) throws -> Void) throws {
        var number = 0
        try pages { records in
            for item in records {
                number += 1
                if let object = item as? [String: Any] {
                    try visit(jsonRow(number: number, record: JSONRecord(object: object), columns: columns))
                } else {
                    try visit(
                        SourceRow(
                            number: number, cells: Array(repeating: .missing, count: columns.count),
                            problem: "record \(number) is \(JSONRecord.kind(of: item)), not a JSON object"))
                }
            }
            return true
        }
    }

    public func extractedAt() -> Date? { nil }

    /// Fetches page after page, handing each page's records to `body` until it returns false or
    /// the pagination ends.
    private func pages(_ body: ([Any]) throws -> Bool) throws {
        let fetcher = HTTPFetcher(
            timeout: options.timeout, maxBytes: options.maxBytes, policy: RetryPolicy(maxAttempts: options.maxAttempts),
            clock: clock, location: options.location, maxBytesLocation: options.maxBytesLocation)
        var url: URL? = firstURL()
        var page = 0
        while let current = url {
            page += 1
            guard page <= options.maxPages else {
                throw Diagnostic(
                    "\(origin): more than \(options.maxPages) pages", at: options.location,
                    hint: "raise max_pages if the API really has that many, or check the pagination settings")
            }
            let response = try fetcher.get(current, headers: options.headers, what: "\(origin), page \(page)")
            let document: Any
            switch JSONRecord.parse(response.body) {
            case .value(let value): document = value
            case .invalid(let reason):
                throw Diagnostic("\(origin), page \(page): the answer is not JSON: \(reason)", at: options.location)
            }
            let records = try JSONArraySource.array(
                in: document, at: options.records, origin: "\(origin), page \(page)")
            guard try body(records) else { return }
            url = try next(
                after: current, page: page, document: document, headers: response.headers, count: records.count)
        }
    }

    private func firstURL() -> URL {
        guard case .pageNumber(let parameter, let start, let sizeParameter, let size) = options.pagination else {
            return options.url
        }
        return Self.setting([(parameter, String(start))] + sizeQuery(sizeParameter, size), in: options.url)
    }

    private func sizeQuery(_ parameter: String?, _ size: Int?) -> [(String, String)] {
        guard let parameter, let size else { return [] }
        return [(parameter, String(size))]
    }

    /// The next page's URL, or nil when there is none. A next link may not leave the API's host,
    /// since the credentials go with every request.
    private func next(after current: URL, page: Int, document: Any, headers: [String: String], count: Int) throws
        -> URL?
    {
        let link: String?
        switch options.pagination {
        case .none:
            return nil
        case .pageNumber(let parameter, let start, let sizeParameter, let size):
            guard count > 0 else { return nil }
            return Self.setting(
                [(parameter, String(start + page))] + sizeQuery(sizeParameter, size), in: options.url)
        case .nextLink(let path):
            let value = (document as? [String: Any]).flatMap { JSONRecord(object: $0).value(at: path) }
            link = value as? String
        case .linkHeader:
            link = headers["link"].flatMap(Self.nextLink)
        }
        guard let link, !link.isEmpty, let url = URL(string: link, relativeTo: current)?.absoluteURL else { return nil }
        guard url.host == options.url.host, url.scheme == options.url.scheme else {
            throw Diagnostic(
                "\(origin), page \(page): the next page is on another host or scheme (\(HTTPSourceOptions.origin(of: url)))",
                at: options.location, hint: "kpiwatch sends credentials only to the url's own host")
        }
        return url
    }

    /// The `rel="next"` target of an RFC 8288 Link header.
    package static func nextLink(_ header: String) -> String? {
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = pieces.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let isNext = pieces.dropFirst().contains { parameter in
                let lowered = parameter.lowercased().replacingOccurrences(of: " ", with: "")
                return lowered == "rel=\"next\"" || lowered == "rel=next"
                    || (lowered.hasPrefix("rel=\"")
                        && lowered.dropFirst(5).dropLast().split(separator: " ").contains("next"))
            }
            if isNext { return String(target.dropFirst().dropLast()) }
        }
        return nil
    }

    /// `url` with `parameters` set in its query (replacing the same names).
    package static func setting(_ parameters: [(String, String)], in url: URL) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        var items = (components.queryItems ?? []).filter { item in !parameters.contains { $0.0 == item.name } }
        items += parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        components.queryItems = items
        return components.url ?? url
    }
}
