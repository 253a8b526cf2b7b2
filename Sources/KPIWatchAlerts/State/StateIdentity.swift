import GRDB
import KPIWatchCore

/// Whether an SQLite file is kpiwatch's state store. kpiwatch stamps its stores with an application id (SQLite's
/// header field for this purpose) and refuses any other database: it never writes its tables into another
/// program's data. A store written before the stamp existed is recognised by its tables and stamped when opened
/// for a run.
package enum StateIdentity {
    /// "KPWS" in ASCII.
    package static let applicationID: Int32 = 0x4B50_5753
    /// Tables every kpiwatch store has had since its first version.
    package static let ownTables: Set<String> = ["grdb_migrations", "runs", "alerts", "notifications", "outbox"]

    package enum Kind {
        case empty, stamped, unstamped
        case foreign(tables: [String])
    }

    package static func kind(of db: Database) throws -> Kind {
        let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        if id == applicationID { return .stamped }
        if id == 0, tables.isEmpty { return .empty }
        if id == 0, ownTables.isSubset(of: tables) { return .unstamped }
        return .foreign(tables: tables)
    }
}
