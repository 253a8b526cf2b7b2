import CLibPQ
import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `source: postgres`: a query over a PostgreSQL database through libpq. Cells follow the
/// columns' types (integers, reals and numerics, booleans, dates; a timestamp is the date of its
/// day); the declared field types then apply through `CellDecoder`.
public struct PostgresSource: AggregatingSource {
    public let origin: String
    public let query: String
    private let url: String
    private let info: PostgresConnectionInfo

    public var dialect: SQLDialect { .postgres }

    public init(url: String, query: String) {
        self.url = url
        self.query = SQLFieldMapping.trimmedQuery(query)
        info = PostgresConnectionInfo(url)
        origin = info.origin
    }

    public static let factory: SourceFactory = { dataset, _ in
        guard let url = dataset.option("url"), !url.isEmpty else {
            throw Diagnostic(
                "dataset '\(dataset.name)' (source: postgres) has no url", at: dataset.location,
                hint: "add `url: ${env:DATABASE_URL}`, so that the credentials stay out of the file")
        }
        guard let query = dataset.option("query"), !query.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Diagnostic(
                "dataset '\(dataset.name)' (source: postgres) has no query", at: dataset.location,
                hint: "add e.g. `query: SELECT * FROM assessments`")
        }
        return PostgresSource(url: url, query: query)
    }

    public func columnNames() throws -> [String] {
        try describe().map(\.name)
    }

    public func columnTypes() throws -> [String: SQLColumnType] {
        var types: [String: SQLColumnType] = [:]
        for column in try describe() where types[column.name] == nil { types[column.name] = Self.type(of: column.oid) }
        return types
    }

    public func scan(columns: [String], _ visit: (SourceRow) throws -> Void) throws {
        let list = columns.map { "src." + SQLDialect.identifier($0) }.joined(separator: ", ")
        let sql = "SELECT \(list.isEmpty ? "1" : list) FROM (\(query)) AS src"
        try withConnection { connection in
            guard PQsendQuery(connection, sql) == 1 else { throw failure(connection) }
            PQsetSingleRowMode(connection)
            var number = 0
            var problem: (any Error)?
            // Every result must be taken before the connection can be closed, even after an error.
            while let result = PQgetResult(connection) {
                defer { PQclear(result) }
                let status = PQresultStatus(result)
                if status == PGRES_SINGLE_TUPLE, problem == nil {
                    number += 1
                    let cells = (0..<Int32(columns.count)).map { Self.cell(result, 0, $0) }
                    do {
                        try visit(SourceRow(number: number, cells: cells))
                    } catch {
                        problem = error
                    }
                } else if status != PGRES_TUPLES_OK && status != PGRES_SINGLE_TUPLE && problem == nil {
                    problem = SQLSourceError("\(origin): \(info.scrub(String(cString: PQresultErrorMessage(result))))")
                }
            }
            if let problem { throw problem }
        }
    }

    public func aggregate(_ query: PushdownQuery) throws -> [PushdownRow] {
        try withConnection { connection in
            try execute(connection, query.sql) { result in
                (0..<PQntuples(result)).map { row in
                    (0..<PQnfields(result)).map { Self.cell(result, row, $0) }
                }
            }
        }
    }

    public func extractedAt() -> Date? { nil }

    // MARK: libpq

    private func describe() throws -> [(name: String, oid: Oid)] {
        try withConnection { connection in
            try execute(connection, "SELECT * FROM (\(query)) AS src LIMIT 0") { result in
                (0..<PQnfields(result)).map { (String(cString: PQfname(result, $0)), PQftype(result, $0)) }
            }
        }
    }

    private func withConnection<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        guard let connection = PQconnectdb(url) else { throw SQLSourceError("cannot connect to \(origin)") }
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else {
            throw SQLSourceError(
                "cannot connect to \(origin): \(info.scrub(String(cString: PQerrorMessage(connection))))")
        }
        PQsetClientEncoding(connection, "UTF8")
        try execute(connection, "SET DateStyle TO ISO") { _ in }
        return try body(connection)
    }

    private func execute<T>(_ connection: OpaquePointer, _ sql: String, _ body: (OpaquePointer) throws -> T) throws
        -> T
    {
        guard let result = PQexec(connection, sql) else { throw failure(connection) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw SQLSourceError("\(origin): \(info.scrub(String(cString: PQresultErrorMessage(result))))")
        }
        return try body(result)
    }

    private func failure(_ connection: OpaquePointer) -> SQLSourceError {
        SQLSourceError("\(origin): \(info.scrub(String(cString: PQerrorMessage(connection))))")
    }

    package static func type(of oid: Oid) -> SQLColumnType {
        switch oid {
        case 20, 21, 23: return .integer
        case 700, 701, 1700: return .real
        case 25, 1042, 1043, 19: return .text
        case 16: return .bool
        case 1082: return .date
        case 1114, 1184: return .timestamp
        default: return .other
        }
    }

    package static func cell(_ result: OpaquePointer, _ row: Int32, _ column: Int32) -> Cell {
        if PQgetisnull(result, row, column) == 1 { return .missing }
        let text = String(cString: PQgetvalue(result, row, column))
        switch type(of: PQftype(result, column)) {
        case .integer: return Int(text).map(Cell.int) ?? .text(text)
        case .real: return Double(text).map(Cell.number) ?? .text(text)
        case .bool: return .bool(text == "t")
        case .date, .timestamp: return Day(iso: text.prefix(10)).map(Cell.date) ?? .text(text)
        case .text, .other: return .text(text)
        }
    }
}
