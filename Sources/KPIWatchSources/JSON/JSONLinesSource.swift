import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `source: jsonl`: one JSON object per line, as log shippers and many APIs export.
///
/// The columns are the keys (nested objects flattened to `parent.child`) of the first 100 records:
/// exporters often leave out a key whose value is null, so a key met only further down is still
/// read when a field names it, but `validate` reports it as missing. Blank lines are skipped; a
/// line that is not a JSON object is a problem of that row, named by its line number.
public struct JSONLinesSource: Source {
    public let origin: String
    public let path: String
    package static let sampledRecords = 100

    public init(path: String, origin: String? = nil) {
        self.path = path
        self.origin = origin ?? path
    }

    public static let factory: SourceFactory = { dataset, project in
        let file = try existingFile(dataset, project: project, source: "jsonl", example: "data/FILE.jsonl")
        return JSONLinesSource(path: file.resolved, origin: file.written)
    }

    public func columnNames() throws -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        var sampled = 0
        try lines { _, line in
            guard case .value(let object as [String: Any]) = JSONRecord.parse(line) else { return true }
            for name in JSONRecord(object: object).columns() where seen.insert(name).inserted { names.append(name) }
            sampled += 1
            return sampled < Self.sampledRecords
        }
        return names
    }

    public func scan(columns: [String], _ visit: (SourceRow) throws -> Void) throws {
        try lines { number, line in
            switch JSONRecord.parse(line) {
            case .value(let object as [String: Any]):
                try visit(jsonRow(number: number, record: JSONRecord(object: object), columns: columns))
            case .value(let other):
                try visit(
                    SourceRow(
                        number: number, cells: Array(repeating: .missing, count: columns.count),
                        problem: "line \(number) is \(JSONRecord.kind(of: other)), not a JSON object"))
            case .invalid(let reason):
                try visit(
                    SourceRow(
                        number: number, cells: Array(repeating: .missing, count: columns.count),
                        problem: "line \(number) is not valid JSON: \(reason)"))
            }
            return true
        }
    }

    public func extractedAt() -> Date? { modificationDate(of: path) }

    /// Calls `body` with each non-blank line and its 1-based line number until it returns false.
    private func lines(_ body: (Int, Data) throws -> Bool) throws {
        let data = try readFile(path, origin: origin)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            // A byte-order mark some Windows tools write is not part of the first record.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
            var number = 0
            while start < bytes.count {
                number += 1
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                let isBlank = (start..<end).allSatisfy { [0x20, 0x09, 0x0D].contains(bytes[$0]) }
                if !isBlank {
                    let line = Data(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
                    guard try body(number, line) else { return }
                }
                start = end + 1
            }
        }
    }
}
