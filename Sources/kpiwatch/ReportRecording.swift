import Foundation
import KPIWatchAlerts
import KPIWatchCore
import KPIWatchEngine
import KPIWatchReport

/// What `kpiwatch report` remembers of a report it wrote, so that the chat digests of later checks point to it
/// (docs/alerts.md). Only a full report is recorded: one of `--only` ids leaves out the alerts a digest sends readers
/// to it for.
enum ReportRecording {
    static func record(
        _ path: String, format: ReportFormat, asOf: Day, only: [String], in store: StateStore, now: Date = Date()
    ) throws {
        guard only.isEmpty else {
            printError("not recorded for chat digests: a report of --only ids is not the full report")
            return
        }
        // Absolute and as written (symbolic links kept): the digest is read far from the folder the command ran in,
        // and a council's shared-drive path means more to its readers than where the link resolves today.
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        do {
            try store.recordReport(
                RecordedReport(path: absolute, format: format.rawValue, asOf: asOf, writtenAt: now))
        } catch {
            throw Diagnostic(
                "wrote \(path), but could not record it in the state store \(store.path): \(error)",
                at: store.location, hint: "chat digests will not point to it until it is recorded; run the report again"
            )
        }
    }
}
