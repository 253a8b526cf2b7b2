import KPIWatchCore
import KPIWatchEngine

/// A SQL database as a source: it answers the engine's `AggregatePushdown` requests (SQLPushdown.swift) with one
/// statement per KPI built by `PushdownPlanner`, so only aggregates cross the wire.
package protocol AggregatingSource: AggregatePushdown {
    var dialect: SQLDialect { get }
    /// The dataset's own query, which pushed-down statements wrap as `src`.
    var query: String { get }
    /// The SQL type of each column of `query`, where the database declares one (PostgreSQL);
    /// empty where types live in the values (SQLite), which `DatasetProfile` then checks.
    func columnTypes() throws -> [String: SQLColumnType]
    /// Runs a statement built by the planner and returns its rows.
    func aggregate(_ query: PushdownQuery) throws -> [PushdownRow]
}

/// What a column holds, as far as pushdown needs to know.
public enum SQLColumnType: String, Sendable {
    case integer, real, text, bool, date, timestamp, other
}

/// A statement for `AggregatingSource.aggregate`.
public struct PushdownQuery: Sendable, Hashable {
    public var sql: String

    public init(sql: String) {
        self.sql = sql
    }
}

/// One result row, its cells in the order of the statement's columns.
public typealias PushdownRow = [Cell]

/// Why a SQL source failed, in words that never carry a connection string's credentials.
public struct SQLSourceError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
