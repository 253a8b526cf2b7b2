import Foundation
import GRDB
import KPIWatchCore
import KPIWatchEngine

/// The `reports` table: where `kpiwatch report` wrote the committee report, for chat digests to point to.
///
/// The record lives in the state store rather than in a file of its own beside the report: the store is already the
/// one place a run's memory is kept, it is versioned by migrations and written in transactions, and `check` has it
/// open when it builds a digest, so no second path has to be configured, found or kept in step.
extension StateStore {
    /// Records a report just written; writing the same file again replaces its record.
    public func recordReport(_ report: RecordedReport) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO reports (path, format, as_of, written_at) VALUES (?, ?, ?, ?)",
                arguments: [report.path, report.format, report.asOf.iso, Self.timestamp(report.writtenAt)])
        }
    }

    /// The report a digest for `asOf` points to: the one written last for that day if there is one (a back-dated
    /// report written later must not hide it), else the one with the latest as-of date, written last.
    public func latestReport(for asOf: Day) throws -> RecordedReport? {
        try read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT path, format, as_of, written_at FROM reports
                        ORDER BY as_of = ? DESC, as_of DESC, written_at DESC, rowid DESC LIMIT 1
                        """,
                    arguments: [asOf.iso])
            else { return nil }
            guard let day = Day(iso: row["as_of"] as String),
                let writtenAt = ISO8601DateFormatter().date(from: row["written_at"] as String)
            else { throw unreadable("the record of the report \(row["path"] as String)") }
            return RecordedReport(path: row["path"], format: row["format"], asOf: day, writtenAt: writtenAt)
        }
    }
}
