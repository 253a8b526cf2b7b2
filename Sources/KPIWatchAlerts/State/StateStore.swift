import Foundation
import GRDB
import KPIWatchCore
import KPIWatchEngine

/// The embedded store of alert state, notifications, silences, the outbox and KPI history (SQLite at the
/// project's `state:` path). Every change is one transaction, so a run killed half-way leaves the store as it was
/// before that change (SQLite's rollback journal). A dry run opens it read-only, or works on an empty in-memory store
/// when there is none yet. Before anything is written, the path is checked (`StatePath`), the file is inspected
/// read-only, and a database that is not kpiwatch's, or is damaged, is refused: never reset, never written into.
public final class StateStore: Sendable {
    public let path: String
    public let readOnly: Bool
    /// Where `state:` was written in the project file: every error about the store points there.
    public let location: SourceLocation?
    package let queue: DatabaseQueue
    private let failures = HistoryFailures()

    package init(path: String, readOnly: Bool, location: SourceLocation?, queue: DatabaseQueue) {
        self.path = path
        self.readOnly = readOnly
        self.location = location
        self.queue = queue
    }

    /// Opens the store for a run that changes it, creating its folder and file on first use.
    public static func open(path: String, configuredAt location: SourceLocation? = nil) throws -> StateStore {
        try StatePath.check(path, at: location)
        // Read-write, so that SQLite rolls back what a killed run left in its journal before anything is read.
        if FileManager.default.fileExists(atPath: path) { try inspect(path, at: location, writable: true) }
        try StateFolder.create(for: path, at: location)
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        let queue = try wrap(path, location) { try DatabaseQueue(path: path, configuration: configuration) }
        try wrap(path, location) {
            // A rollback journal, not WAL: runs are serialised by `RunLock` anyway, and a read-only open of a WAL
            // database creates -wal and -shm files, which a dry run must not leave behind.
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                try db.execute(sql: "PRAGMA application_id = \(StateIdentity.applicationID)")
            }
            try StateSchema.migrator.migrate(queue)
        }
        return StateStore(path: path, readOnly: false, location: location, queue: queue)
    }

    /// Opens the store so that nothing is written: read-only when it exists, else an empty store in memory.
    public static func openReadOnly(path: String, configuredAt location: SourceLocation? = nil) throws -> StateStore {
        try StatePath.check(path, at: location)
        guard FileManager.default.fileExists(atPath: path) else {
            let queue = try DatabaseQueue()
            try StateSchema.migrator.migrate(queue)
            return StateStore(path: path, readOnly: true, location: location, queue: queue)
        }
        if hasInterruptedRun(path) {
            throw Diagnostic(
                "the state store \(path) holds the changes of a run that was interrupted", at: location,
                hint: "run once without --dry-run: SQLite rolls them back, and the store is as before that run")
        }
        try inspect(path, at: location)
        let queue = try readOnlyQueue(path, location)
        let applied = try wrap(path, location) {
            try queue.read { try StateSchema.migrator.appliedIdentifiers($0) }
        }
        let known = Set(StateSchema.migrator.migrations)
        guard applied.isSubset(of: known) else {
            throw Diagnostic(
                "the state store \(path) was written by a newer version of kpiwatch", at: location,
                hint: "run it with that version (or newer): this one does not know its tables")
        }
        guard applied == known else { return try upToDateCopy(of: queue, path, location) }
        return StateStore(path: path, readOnly: true, location: location, queue: queue)
    }

    /// A store written by an older kpiwatch, brought up to date in a copy in memory. A dry run is what a careful user
    /// runs first after upgrading: it must work, read what the real run will read, and leave the file as it is (the
    /// real run migrates it in place).
    private static func upToDateCopy(
        of queue: DatabaseQueue, _ path: String, _ location: SourceLocation?
    ) throws -> StateStore {
        let copy = try DatabaseQueue()
        try wrap(path, location) {
            try queue.backup(to: copy)
            try StateSchema.migrator.migrate(copy)
        }
        return StateStore(path: path, readOnly: true, location: location, queue: copy)
    }

    public static func open(for config: ProjectConfig) throws -> StateStore {
        try open(path: config.statePath, configuredAt: config.stateLocation)
    }

    public static func openReadOnly(for config: ProjectConfig) throws -> StateStore {
        try openReadOnly(path: config.statePath, configuredAt: config.stateLocation)
    }

    /// What `validate` checks, reading only: the path, and that an existing file is kpiwatch's and undamaged.
    public static func check(for config: ProjectConfig) throws {
        try StatePath.check(config.statePath, at: config.stateLocation)
        // A journal left by a killed run can only be rolled back by a write, which validate never makes; the next
        // run rolls it back.
        if FileManager.default.fileExists(atPath: config.statePath), !hasInterruptedRun(config.statePath) {
            try inspect(config.statePath, at: config.stateLocation)
        }
    }

    /// A non-empty rollback journal beside the store: a run was killed in the middle of a transaction.
    package static func hasInterruptedRun(_ path: String) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-journal")[.size] as? Int) ?? nil
        return (size ?? 0) > 0
    }

    /// Opens an existing file read-only and refuses it unless it is kpiwatch's store (or an empty file) and SQLite
    /// finds nothing damaged in it.
    package static func inspect(_ path: String, at location: SourceLocation?, writable: Bool = false) throws {
        var configuration = Configuration()
        configuration.readonly = !writable
        configuration.busyMode = .timeout(30)
        let queue = try wrap(path, location) { try DatabaseQueue(path: path, configuration: configuration) }
        let kind = try wrap(path, location) { try queue.read { try StateIdentity.kind(of: $0) } }
        if case .foreign(let tables) = kind {
            let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
            throw Diagnostic(
                "\(path) is an SQLite database that is not kpiwatch's state store (its tables: \(shown)); kpiwatch "
                    + "never writes into another program's database", at: location,
                hint: "give 'state:' a file of its own, e.g. .kpiwatch/state.sqlite")
        }
        let problems = try wrap(path, location) {
            try queue.read { try String.fetchAll($0, sql: "PRAGMA quick_check(5)") }
        }
        guard problems == ["ok"] else {
            throw damaged(path, location, problems.joined(separator: "; "))
        }
    }

    private static func readOnlyQueue(_ path: String, _ location: SourceLocation?) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        return try wrap(path, location) { try DatabaseQueue(path: path, configuration: configuration) }
    }

    /// A store that cannot be read is never reset in silence: the error says how to recover (docs/alerts.md).
    package static func damaged(_ path: String, _ location: SourceLocation?, _ detail: String) -> Diagnostic {
        Diagnostic(
            "the state store \(path) is damaged (\(detail))", at: location,
            hint: "kpiwatch changes nothing in it; to recover, move it aside (mv \(path) \(path).damaged): the next "
                + "run starts an empty store and sends every alert still firing as new (docs/alerts.md, "
                + "\"Recovering the state store\")")
    }

    /// Database errors as diagnostics that name the store and point at `state:`, never a stack of SQLite codes.
    package static func wrap<T>(_ path: String, _ location: SourceLocation?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            let detail = error.message ?? "\(error.resultCode)"
            if error.resultCode == .SQLITE_NOTADB {
                throw damaged(path, location, "not an SQLite database: \(detail)")
            }
            if error.resultCode == .SQLITE_CORRUPT { throw damaged(path, location, detail) }
            throw Diagnostic(
                "state store \(path): \(detail)", at: location,
                hint: "check that the file and its folder are readable and writable")
        }
    }

    package func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.wrap(path, location) { try queue.read(body) }
    }

    /// One transaction; refused on a read-only store, so a dry run cannot change anything by mistake.
    package func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard !readOnly else {
            throw Diagnostic("internal: a dry run tried to change the state store \(path)", at: location)
        }
        return try Self.wrap(path, location) { try queue.write(body) }
    }

    /// A row the store cannot decode: the store is damaged, and its rows are never skipped as if absent.
    package func unreadable(_ what: String) -> Diagnostic {
        Self.damaged(path, location, "\(what) cannot be read")
    }

    /// The first error met while reading KPI history for `for:` (whose protocol cannot throw); a run that met one
    /// must stop, because a read error is not "no earlier runs".
    public var historyFailure: Diagnostic? { failures.first }

    package func noteHistoryFailure(_ error: any Error) {
        failures.note((error as? Diagnostic) ?? Diagnostic("state store \(path): \(error)", at: location))
    }
}

/// Thread-safe memory of the first history read error.
private final class HistoryFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var failure: Diagnostic?

    var first: Diagnostic? { lock.withLock { failure } }

    func note(_ diagnostic: Diagnostic) {
        lock.withLock { if failure == nil { failure = diagnostic } }
    }
}
