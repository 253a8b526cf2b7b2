import Foundation
import GRDB

/// The embedded store of alert state, notifications, silences, the outbox and KPI history (SQLite at the
/// project's `state:` path). Every change is one transaction, so a run killed half-way leaves the store as it was
/// before that change (SQLite's rollback journal). A dry run opens it read-only, or works on an empty in-memory store when there is none yet.
public final class StateStore: Sendable {
    public let path: String
    public let readOnly: Bool
    let queue: DatabaseQueue

    init(path: String, readOnly: Bool, queue: DatabaseQueue) {
        self.path = path
        self.readOnly = readOnly
        self.queue = queue
    }

    /// Opens the store for a run that changes it, creating its folder and file on first use.
    public static func open(path: String) throws -> StateStore {
        try StateFolder.create(for: path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        let queue = try wrap(path) { try DatabaseQueue(path: path, configuration: configuration) }
        try wrap(path) {
            // A rollback journal, not WAL: runs are serialised by `RunLock` anyway, and a read-only open of a WAL
            // database creates -wal and -shm files, which a dry run must not leave behind.
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try StateSchema.migrator.migrate(queue)
        }
        return StateStore(path: path, readOnly: false, queue: queue)
    }

    /// Opens the store so that nothing is written: read-only when it exists, else an empty store in memory.
    public static func openReadOnly(path: String) throws -> StateStore {
        guard FileManager.default.fileExists(atPath: path) else {
            let queue = try DatabaseQueue()
            try StateSchema.migrator.migrate(queue)
            return StateStore(path: path, readOnly: true, queue: queue)
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        let queue = try wrap(path) { try DatabaseQueue(path: path, configuration: configuration) }
        let current = try wrap(path) { try queue.read { try StateSchema.migrator.hasCompletedMigrations($0) } }
        guard current else {
            throw Diagnostic(
                "the state store \(path) was written by another version of kpiwatch",
                hint: "run once without --dry-run to bring it up to date")
        }
        return StateStore(path: path, readOnly: true, queue: queue)
    }

    /// Database errors as diagnostics that name the store, never a stack of SQLite codes.
    static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw Diagnostic(
                "state store \(path): \(error.message ?? "\(error.resultCode)")",
                hint: "check that the folder is writable; delete the file only to forget all alert state")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.wrap(path) { try queue.read(body) }
    }

    /// One transaction; refused on a read-only store, so a dry run cannot change anything by mistake.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard !readOnly else { throw Diagnostic("internal: a dry run tried to change the state store \(path)") }
        return try Self.wrap(path) { try queue.write(body) }
    }
}
