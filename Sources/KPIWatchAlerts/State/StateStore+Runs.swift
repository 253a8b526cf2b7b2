import Foundation
import GRDB
import KPIWatchCore
import KPIWatchEngine

/// Runs and KPI history: when kpiwatch ran, and every KPI's current value per run.
extension StateStore {
    /// Records that a run for `asOf` started, with its KPI values, in one transaction. Returns the run's id.
    @discardableResult
    public func recordRun(asOf: Day, results: [KPIResult], now: Date = Date()) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: "INSERT INTO runs (as_of, started_at, dry_run) VALUES (?, ?, 0)",
                arguments: [asOf.iso, Self.timestamp(now)])
            let run = db.lastInsertedRowID
            for result in results where result.current {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO kpi_history (as_of, kpi, group_json, period, value, state, count)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        asOf.iso, result.id, Self.groupJSON(result.group), result.period, result.value,
                        result.state.rawValue, result.count,
                    ])
            }
            return run
        }
    }

    public func finishRun(_ id: Int64, now: Date = Date()) throws {
        try write { db in
            try db.execute(sql: "UPDATE runs SET finished_at = ? WHERE id = ?", arguments: [Self.timestamp(now), id])
        }
    }

    /// How many runs were recorded (a dry run records none).
    public func runCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") ?? 0 }
    }

    /// The latest run recorded (a dry run records none): what "since the last run" compares with.
    public func lastRun() throws -> (id: Int64, asOf: Day)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, as_of FROM runs ORDER BY id DESC LIMIT 1") else {
                return nil
            }
            guard let day = Day(iso: row["as_of"] as String) else { throw unreadable("the last run's as-of date") }
            return (row["id"] as Int64, day)
        }
    }

    /// Every KPI value's state recorded for an as-of day, by KPI id and group (`groupJSON`). A state this
    /// kpiwatch does not know is left out: it compares with nothing.
    public func kpiStates(asOf: Day) throws -> [KPIValueKey: KPIState] {
        try read { db in
            var states: [KPIValueKey: KPIState] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT kpi, group_json, state FROM kpi_history WHERE as_of = ?", arguments: [asOf.iso])
            {
                guard let state = KPIState(rawValue: row["state"] as String) else { continue }
                states[KPIValueKey(kpi: row["kpi"], group: row["group_json"])] = state
            }
            return states
        }
    }

    /// The recorded value of a KPI and group on each as-of day, oldest first.
    public func history(kpi: String, group: [GroupField] = []) throws -> [(asOf: Day, value: Double?, state: String)] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT as_of, value, state FROM kpi_history WHERE kpi = ? AND group_json = ? ORDER BY as_of",
                arguments: [kpi, Self.groupJSON(group)]
            ).map { row in
                guard let day = Day(iso: row["as_of"] as String) else { throw unreadable("a KPI history row") }
                return (day, row["value"] as Double?, row["state"] as String)
            }
        }
    }

    package static func groupJSON(_ group: [GroupField]) -> String {
        StoredNotification.encode(Dictionary(group.map { ($0.name, $0.text) }, uniquingKeysWith: { a, _ in a }))
    }

    package static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

/// One KPI value in the history: its KPI and its group as stored (`StateStore.groupJSON`).
public struct KPIValueKey: Hashable, Sendable {
    public var kpi: String
    public var group: String

    public init(kpi: String, group: String) {
        self.kpi = kpi
        self.group = group
    }

    public init(_ result: KPIResult) {
        self.init(kpi: result.id, group: StateStore.groupJSON(result.group))
    }
}

/// `for: N` on snapshot and `all` KPIs counts earlier runs, newest first, from the KPI history.
extension StateStore: RunHistory {
    public func consecutiveRuns(kpi: String, group: [GroupField], atLeast severity: Severity, before asOf: Day) -> Int {
        let states: [String]
        do {
            states = try read { db in
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT state FROM kpi_history WHERE kpi = ? AND group_json = ? AND as_of < ? ORDER BY as_of DESC",
                    arguments: [kpi, Self.groupJSON(group), asOf.iso])
            }
        } catch {
            // Not "no earlier runs": the check stops before it sends anything (`historyFailure`).
            noteHistoryFailure(error)
            return 0
        }
        var count = 0
        for state in states {
            guard let held = KPIState(rawValue: state)?.severity, held >= severity else { break }
            count += 1
        }
        return count
    }
}
