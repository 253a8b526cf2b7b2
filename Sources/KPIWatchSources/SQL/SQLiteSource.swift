import Foundation
import GRDB
import KPIWatchCore
import KPIWatchEngine

/// `source: sqlite`: a SQLite file and a query over it. Cells keep SQLite's storage classes
/// (integer, real, text, null); the declared field types then apply through `CellDecoder`.
public struct SQLiteSource: AggregatingSource {
    public let origin: String
    /// The file resolved against the project's folder.
    public let path: String
    public let query: String

    public var dialect: SQLDialect { .sqlite }

    public init(path: String, query: String, origin: String? = nil) {
        self.path = path
        self.query = SQLFieldMapping.trimmedQuery(query)
        self.origin = origin ?? path
    }

    public static let factory: SourceFactory = { dataset, project in
        try SQLiteSource(dataset: dataset, project: project)
    }

    public init(dataset: DatasetConfig, project: ProjectConfig) throws {
        guard let written = dataset.option("path"), !written.isEmpty else {
            throw Diagnostic(
                "dataset '\(dataset.name)' (source: sqlite) has no path", at: dataset.location,
                hint: "add `path: data/FILE.sqlite`, relative to \(project.file)")
        }
        guard let query = dataset.option("query"), !query.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Diagnostic(
                "dataset '\(dataset.name)' (source: sqlite) has no query", at: dataset.location,
                hint: "add e.g. `query: SELECT * FROM assessments`")
        }
        let resolved = project.resolve(written)
        if let problem = FileKind.problem(reading: resolved, shown: resolved) {
            throw Diagnostic(
                "dataset '\(dataset.name)': \(problem.message)", at: dataset.optionLocation("path"),
                hint: problem.hint)
        }
        guard FileManager.default.fileExists(atPath: resolved) else {
            throw Diagnostic(
                "dataset '\(dataset.name)': file not found: \(resolved)", at: dataset.optionLocation("path"),
                hint: "the path is relative to \(project.file)")
        }
        self.init(path: resolved, query: query, origin: written)
    }

    public func columnNames() throws -> [String] {
        try read { db in
            try db.makeStatement(sql: "SELECT * FROM (\(query)) AS src LIMIT 0").columnNames
        }
    }

    public func columnTypes() throws -> [String: SQLColumnType] { [:] }

    public func scan(columns: [String], _ visit: (SourceRow) throws -> Void) throws {
        let list = columns.map { "src." + SQLDialect.identifier($0) }.joined(separator: ", ")
        let sql = "SELECT \(list.isEmpty ? "1" : list) FROM (\(query)) AS src"
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: sql)
            var number = 0
            while let row = try cursor.next() {
                number += 1
                let cells = columns.indices.map { Self.cell(row[$0] as DatabaseValue) }
                try visit(SourceRow(number: number, cells: cells))
            }
        }
    }

    public func aggregate(_ query: PushdownQuery) throws -> [PushdownRow] {
        try read { db in
            try Row.fetchAll(db, sql: query.sql).map { row in
                (0..<row.count).map { Self.cell(row[$0] as DatabaseValue) }
            }
        }
    }

    public func extractedAt() -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    package static func cell(_ value: DatabaseValue) -> Cell {
        switch value.storage {
        case .null: return .missing
        case .int64(let number): return .int(Int(number))
        case .double(let number): return .number(number)
        case .string(let text): return .text(text)
        case .blob(let data): return .text(data.map { String(format: "%02x", $0) }.joined())
        }
    }

    /// Opens the file read-only for one operation; a SQL error names the file, not the library.
    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read(body)
        } catch let error as DatabaseError {
            throw SQLSourceError("\(origin): \(error.message ?? error.description)")
        }
    }
}
