import GRDB
import KPIWatchCore

/// The `silences` table, for `kpiwatch silence` and the Silence stage.
extension StateStore {
    /// Stores a silence and returns its id.
    @discardableResult
    public func addSilence(_ silence: Silence) throws -> Int64 {
        try write { db in
            try db.execute(
                sql:
                    "INSERT INTO silences (rule, matchers_json, until, comment, created_on, expired) VALUES (?, ?, ?, ?, ?, 0)",
                arguments: [
                    silence.rule, StoredNotification.encode(silence.matchers), silence.until.iso, silence.comment,
                    silence.createdOn.iso,
                ])
            return db.lastInsertedRowID
        }
    }

    /// Every silence, newest first; expired ones too when asked.
    public func silences(includeExpired: Bool = true) throws -> [Silence] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM silences ORDER BY id DESC").compactMap { row -> Silence? in
                guard let until = Day(iso: row["until"] as String), let created = Day(iso: row["created_on"] as String)
                else { throw unreadable("silence \(row["id"] as Int64? ?? 0)") }
                let silence = Silence(
                    id: row["id"], rule: row["rule"],
                    matchers: StoredNotification.decode([String: String].self, row["matchers_json"]) ?? [:],
                    until: until, comment: row["comment"], createdOn: created, expired: row["expired"])
                return includeExpired || !silence.expired ? silence : nil
            }
        }
    }

    /// Ends a silence now. Returns false when there is no silence with that id.
    public func expireSilence(id: Int64) throws -> Bool {
        try write { db in
            try db.execute(sql: "UPDATE silences SET expired = 1 WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
