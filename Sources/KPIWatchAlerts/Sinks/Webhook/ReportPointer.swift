import Foundation
import KPIWatchCore
import KPIWatchEngine

/// The last line of a chat digest: where the full report is, or, when no report holds this run's figures, that plainly
/// and the command that writes one. A reader who follows it must not land on last month's report believing it is
/// today's, nor look for a file that was moved away.
package struct ReportPointer: Sendable, Equatable {
    /// Plain text: each chat format escapes it as it escapes alert text (`ChatText`), because links and paths are
    /// written by users.
    package var text: String
    /// The line names a report for this run, so "… and N more alerts not shown" may send readers to it.
    package var namesReport: Bool

    /// UTF-16 units of a path in the line, so that the command after a very long path still shows.
    package static let pathLimit = 1_000

    /// - `link`: the project's `report: { link: }`, where the council publishes reports; it is named whatever was
    ///   recorded (the published copy is not the file written here), with the recorded report's as-of date.
    /// - `recorded`: the report `kpiwatch report` recorded (`StateStore.latestReport`).
    package init(
        link: String?, recorded: RecordedReport?, asOf: Day, projectFile: String,
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) {
        let dated = recorded.map { " (as of \($0.asOf.iso))" } ?? ""
        if let link {
            self.init(text: "Full report\(dated): \(link)", namesReport: true)
            return
        }
        let command = "run kpiwatch report --config \(Self.shellWord(projectFile)) --as-of \(asOf.iso)"
        guard let recorded else {
            self.init(text: "No report written for \(asOf.iso) — \(command)", namesReport: false)
            return
        }
        let path = ChatText.clip(recorded.path, to: Self.pathLimit)
        let exists = fileExists(recorded.path)
        switch (recorded.asOf >= asOf, exists) {
        case (true, true):
            self.init(text: "Full report\(dated): \(path)", namesReport: true)
        case (true, false):
            self.init(
                text: "The report for \(recorded.asOf.iso) is no longer at \(path) — \(command)", namesReport: false)
        case (false, _):
            let latest = exists ? "is at \(path)" : "is no longer at \(path)"
            self.init(
                text:
                    "No report written for \(asOf.iso) (the latest, for \(recorded.asOf.iso), \(latest)) — \(command)",
                namesReport: false)
        }
    }

    /// A path as one shell word, so that the command can be pasted as it stands: a shared-drive folder often has a
    /// space in its name. Quoted only when it must be, since most paths read better bare.
    package static func shellWord(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "_./-+,:@".unicodeScalars.contains($0)
        }
        return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    package init(text: String, namesReport: Bool) {
        self.text = text
        self.namesReport = namesReport
    }
}
