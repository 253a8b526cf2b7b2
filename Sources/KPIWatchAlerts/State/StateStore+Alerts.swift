import GRDB
import KPIWatchCore
import KPIWatchEngine

/// The `alerts` and `notifications` tables: each alert identity's state, and what each sink was told.
extension StateStore {
    public func alertRecords() throws -> [String: AlertRecord] {
        try read { db in
            var records: [String: AlertRecord] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM alerts") {
                guard let stored = StoredNotification.decode(StoredNotification.StoredAlert.self, row["payload"]),
                    let state = AlertState(rawValue: row["state"]),
                    let firstSeen = Day(iso: row["first_seen"] as String),
                    let lastSeen = Day(iso: row["last_seen"] as String)
                else { throw unreadable("the alert row '\(row["identity"] as String? ?? "?")'") }
                let record = AlertRecord(
                    alert: StoredNotification.restore(stored), state: state, firstSeen: firstSeen, lastSeen: lastSeen,
                    resolvedOn: (row["resolved_on"] as String?).flatMap(Day.init(iso:)),
                    keepUntil: (row["keep_until"] as String?).flatMap(Day.init(iso:)),
                    silencedBy: row["silenced_by"])
                records[record.identity] = record
            }
            return records
        }
    }

    /// Saves the alerts' new states in one transaction. Each statement is prepared once and run per row: parsing
    /// it for each of 100,000 alerts was most of the pipeline's time.
    public func saveAlerts(_ records: [AlertRecord]) throws {
        try write { db in
            let save = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO alerts (identity, rule, group_json, key, severity, state, first_seen,
                        last_seen, resolved_on, keep_until, silenced_by, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for record in records {
                let alert = record.alert
                try save.execute(
                    arguments: [
                        record.identity, alert.rule, StoredNotification.encode(alert.group), alert.key,
                        alert.severity.rawValue,
                        record.state.rawValue, record.firstSeen.iso, record.lastSeen.iso, record.resolvedOn?.iso,
                        record.keepUntil?.iso, record.silencedBy,
                        StoredNotification.encode(StoredNotification.store(alert)),
                    ])
            }
        }
    }

    /// What `sink` was last told, by alert identity and status.
    public func notifications(sink: String) throws -> [String: [AlertStatus: NotificationRecord]] {
        try read { db in
            var result: [String: [AlertStatus: NotificationRecord]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM notifications WHERE sink = ?", arguments: [sink]) {
                guard let status = AlertStatus(rawValue: row["status"]),
                    let severity = AlertSeverity(rawValue: row["severity"]),
                    let day = Day(iso: row["last_notified_on"] as String)
                else { throw unreadable("a notification row of sink '\(sink)'") }
                let record = NotificationRecord(
                    sink: sink, identity: row["identity"], status: status, lastNotifiedOn: day, count: row["count"],
                    severity: severity, firstSeen: (row["first_seen"] as String?).flatMap(Day.init(iso:)))
                result[record.identity, default: [:]][status] = record
            }
            return result
        }
    }

    /// A sink's delivery outcome, in one transaction: what got through is marked notified (for its episode) and
    /// leaves the outbox; what did not (or is held by a quiet time) waits there. Nothing leaves the outbox unsent.
    public func commitDelivery(sink: String, on day: Day, delivered: [AlertNotice], waiting: [OutboxItem]) throws {
        try write { db in
            let notified = try db.makeStatement(
                sql: """
                    INSERT INTO notifications (sink, identity, status, severity, last_notified_on, count, first_seen)
                    VALUES (?, ?, ?, ?, ?, 1, ?)
                    ON CONFLICT (sink, identity, status) DO UPDATE SET
                        severity = excluded.severity, last_notified_on = excluded.last_notified_on,
                        count = count + 1, first_seen = excluded.first_seen
                    """)
            let sent = try db.makeStatement(sql: "DELETE FROM outbox WHERE sink = ? AND delivery_id = ?")
            for notification in delivered {
                try notified.execute(arguments: [
                    sink, notification.alert.identity, notification.status.rawValue,
                    notification.alert.severity.rawValue,
                    day.iso, notification.firstSeen.iso,
                ])
                try sent.execute(arguments: [sink, notification.episodeID])
            }
            let queue = try db.makeStatement(
                sql: """
                    INSERT INTO outbox (sink, delivery_id, notification, held_until, attempts, last_error, created_on)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (sink, delivery_id) DO UPDATE SET
                        notification = excluded.notification, held_until = excluded.held_until,
                        attempts = excluded.attempts, last_error = excluded.last_error
                    """)
            for item in waiting {
                try queue.execute(
                    arguments: [
                        sink, item.episodeID, StoredNotification.encode(StoredNotification(item.notification)),
                        item.heldUntil?.iso, item.attempts, item.lastError, item.createdOn.iso,
                    ])
            }
        }
    }

    /// What waits in the outbox, oldest first; all sinks when `sink` is nil.
    public func outbox(sink: String? = nil) throws -> [OutboxItem] {
        try read { db in
            let rows =
                try sink.map {
                    try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE sink = ? ORDER BY id", arguments: [$0])
                } ?? Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY sink, id")
            return try rows.map { row in
                guard let stored = StoredNotification.decode(StoredNotification.self, row["notification"]),
                    let notification = stored.notification, let created = Day(iso: row["created_on"] as String)
                else { throw unreadable("outbox item \(row["id"] as Int64? ?? 0)") }
                return OutboxItem(
                    id: row["id"], sink: row["sink"], notification: notification,
                    heldUntil: (row["held_until"] as String?).flatMap(Day.init(iso:)), attempts: row["attempts"],
                    lastError: row["last_error"], createdOn: created)
            }
        }
    }
}
