import Foundation
import KPIWatchCore
import KPIWatchEngine

extension KPIExport {
    /// Writes the export of every `file` sink that asks for one, whole: a reader (the textfile collector, a
    /// scheduled refresh) sees the old file or the new one, never half of one. A file that cannot be written is
    /// a diagnostic, so the run exits 3.
    public static func writeFiles(_ evaluation: Evaluation, project: LoadedProject) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for configured in project.sinks {
            guard let sink = configured.sink as? FileSink, let export = sink.format.export else { continue }
            let text = export.render(evaluation, project: project)
            do {
                let folder = (sink.path as NSString).deletingLastPathComponent
                if !folder.isEmpty {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                try Data(text.utf8).write(to: URL(fileURLWithPath: sink.path), options: .atomic)
            } catch {
                problems.append(
                    Diagnostic(
                        "cannot write the \(export.rawValue) export to \(sink.path): \(error.localizedDescription)",
                        at: configured.config.location, hint: "check that the folder exists and can be written"))
            }
        }
        return problems
    }
}

extension FileSink.Format {
    /// The KPI export this file format is, or nil for the alert formats (`jsonl`, `csv`).
    package var export: KPIExport? {
        switch self {
        case .jsonl, .csv: return nil
        case .kpiCSV: return .csv
        case .openmetrics: return .openmetrics
        }
    }
}
