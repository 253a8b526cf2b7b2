import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `source: json`: a JSON document holding the records as an array, at its top or under the key
/// path `records:` (`data.items`). Records are numbered from 1 in array order ("record 3").
///
/// The columns are the keys (nested objects flattened to `parent.child`) of every record: the
/// document is read whole anyway, and exporters often leave out keys whose value is null.
public struct JSONArraySource: Source {
    public let origin: String
    public let path: String
    /// Dotted key path to the array; nil when the document is the array.
    public let recordsPath: String?

    public init(path: String, origin: String? = nil, records: String? = nil) {
        self.path = path
        self.origin = origin ?? path
        self.recordsPath = records
    }

    public static let factory: SourceFactory = { dataset, project in
        let file = try existingFile(dataset, project: project, source: "json", example: "data/FILE.json")
        let records = dataset.option("records").flatMap { $0.isEmpty ? nil : $0 }
        return JSONArraySource(path: file.resolved, origin: file.written, records: records)
    }

    public func columnNames() throws -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        for case let object as [String: Any] in try records() {
            for name in JSONRecord(object: object).columns() where seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    public func scan(columns: [String], _ visit: (SourceRow) throws -> Void) throws {
        for (index, item) in try records().enumerated() {
            let number = index + 1
            guard let object = item as? [String: Any] else {
                try visit(
                    SourceRow(
                        number: number, cells: Array(repeating: .missing, count: columns.count),
                        problem: "record \(number) is \(JSONRecord.kind(of: item)), not a JSON object"))
                continue
            }
            try visit(jsonRow(number: number, record: JSONRecord(object: object), columns: columns))
        }
    }

    public func extractedAt() -> Date? { modificationDate(of: path) }

    package func records() throws -> [Any] {
        let document: Any
        switch JSONRecord.parse(try readFile(path, origin: origin)) {
        case .value(let value): document = value
        case .invalid(let reason):
            throw Diagnostic(
                "\(origin) is not valid JSON: \(reason)", place: origin,
                hint: "a json source reads one JSON document; for one object per line use source: jsonl")
        }
        return try Self.array(in: document, at: recordsPath, origin: origin)
    }

    /// The array at `keyPath` in `document`, or an error saying which keys do hold arrays.
    package static func array(in document: Any, at keyPath: String?, origin: String) throws -> [Any] {
        guard let keyPath else {
            if let array = document as? [Any] { return array }
            throw Diagnostic(
                "\(origin) holds \(JSONRecord.kind(of: document)), not an array of records", place: origin,
                hint: arrayHint(document, prefix: ""))
        }
        var current = document
        var walked: [String] = []
        for part in keyPath.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            guard let object = current as? [String: Any] else {
                let at = walked.isEmpty ? "the document" : "\"\(walked.joined(separator: "."))\""
                throw Diagnostic(
                    "records: \"\(keyPath)\": \(at) in \(origin) is \(JSONRecord.kind(of: current)), not an object",
                    place: origin, hint: "the key path names keys of nested objects, separated by dots")
            }
            guard let next = object[part] else {
                let prefix = walked.isEmpty ? "" : walked.joined(separator: ".") + "."
                throw Diagnostic(
                    "records: \"\(keyPath)\": no key \"\(prefix + part)\" in \(origin)", place: origin,
                    hint: nearestName(to: part, in: object.keys).map { "did you mean \"\(prefix + $0)\"?" }
                        ?? arrayHint(document, prefix: ""))
            }
            walked.append(part)
            current = next
        }
        guard let array = current as? [Any] else {
            throw Diagnostic(
                "records: \"\(keyPath)\" in \(origin) is \(JSONRecord.kind(of: current)), not an array",
                place: origin, hint: arrayHint(document, prefix: ""))
        }
        return array
    }

    /// "arrays are at: data.items, links"; where the records could be.
    private static func arrayHint(_ document: Any, prefix: String) -> String {
        var found: [String] = []
        func walk(_ value: Any, _ path: String, depth: Int) {
            guard depth < 4, let object = value as? [String: Any] else { return }
            for key in object.keys.sorted() {
                let here = path.isEmpty ? key : path + "." + key
                if object[key] is [Any] { found.append(here) } else { walk(object[key]!, here, depth: depth + 1) }
            }
        }
        walk(document, prefix, depth: 0)
        if found.isEmpty { return "the document holds no array of records" }
        return "set records: to the key path of the array; arrays are at: " + found.prefix(10).joined(separator: ", ")
    }
}
