import GRDB
import KPIWatchCore

/// The state store's tables, as migrations: a store written by an older kpiwatch is brought up to date when
/// it is opened, never recreated.
package enum StateSchema {
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("as_of", .text).notNull()
                t.column("started_at", .text).notNull()
                t.column("finished_at", .text)
                t.column("dry_run", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "alerts") { t in
                t.primaryKey("identity", .text)
                t.column("rule", .text).notNull().indexed()
                t.column("group_json", .text).notNull()
                t.column("key", .text)
                t.column("severity", .text).notNull()
                t.column("state", .text).notNull()
                t.column("first_seen", .text).notNull()
                t.column("last_seen", .text).notNull()
                t.column("resolved_on", .text)
                t.column("keep_until", .text)
                t.column("silenced_by", .text)
                t.column("payload", .text).notNull()
            }
            try db.create(table: "notifications") { t in
                t.column("sink", .text).notNull()
                t.column("identity", .text).notNull()
                t.column("status", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("last_notified_on", .text).notNull()
                t.column("count", .integer).notNull()
                t.primaryKey(["sink", "identity", "status"])
            }
            try db.create(table: "kpi_history") { t in
                t.column("as_of", .text).notNull()
                t.column("kpi", .text).notNull()
                t.column("group_json", .text).notNull()
                t.column("period", .text).notNull()
                t.column("value", .double)
                t.column("state", .text).notNull()
                t.column("count", .integer)
                t.primaryKey(["kpi", "group_json", "as_of"])
            }
            try db.create(table: "silences") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("rule", .text)
                t.column("matchers_json", .text).notNull()
                t.column("until", .text).notNull()
                t.column("comment", .text).notNull()
                t.column("created_on", .text).notNull()
                t.column("expired", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sink", .text).notNull()
                t.column("delivery_id", .text).notNull()
                t.column("notification", .text).notNull()
                t.column("held_until", .text)
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("last_error", .text)
                t.column("created_on", .text).notNull()
                t.uniqueKey(["sink", "delivery_id"])
            }
        }
        migrator.registerMigration("v2") { db in
            // Which episode a sink heard of, so that a late notice about one episode never stands for the next.
            try db.alter(table: "notifications") { t in t.add(column: "first_seen", .text) }
            // Outbox rows are kept per episode too: a second episode's notice never overwrites the first's.
            try db.execute(
                sql: "UPDATE outbox SET delivery_id = delivery_id || '@' || json_extract(notification, '$.firstSeen')")
        }
        migrator.registerMigration("v3") { db in
            // The reports `kpiwatch report` wrote, which chat digests point to: one row per file (writing a file
            // again replaces its row), so the table stays as small as the set of places reports go.
            try db.create(table: "reports") { t in
                t.primaryKey("path", .text)
                t.column("format", .text).notNull()
                t.column("as_of", .text).notNull()
                t.column("written_at", .text).notNull()
            }
        }
        return migrator
    }
}
