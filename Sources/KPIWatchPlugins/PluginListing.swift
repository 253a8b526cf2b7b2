import Foundation
import KPIWatchCore

/// What `kpiwatch plugins` prints: each plugin's name, kind, folder, description, and its manifest
/// errors as `file:line:column: error: …`.
public enum PluginListing {
    public static func render(_ entries: [PluginDirectory.Entry], folders: [String]) -> String {
        let missing = folders.filter { !FileManager.default.fileExists(atPath: $0) }
        var lines = missing.map { "warning: plugin folder \($0) does not exist" }
        guard !entries.isEmpty else {
            lines.append("no plugins found in " + (folders.isEmpty ? "no folders" : folders.joined(separator: ", ")))
            return lines.joined(separator: "\n")
        }
        for entry in entries {
            if let manifest = entry.manifest {
                lines.append("\(entry.name)  \(manifest.kind)  \(entry.folder)")
                if !manifest.description.isEmpty { lines.append("    \(manifest.description)") }
                let options = manifest.options.map { $0.required ? "\($0.name) (required)" : $0.name }
                if !options.isEmpty { lines.append("    options: \(options.joined(separator: ", "))") }
            } else {
                lines.append("\(entry.name)  invalid  \(entry.folder)")
            }
            lines += entry.errors.map { "    \($0)" }
        }
        let broken = entries.filter { !$0.errors.isEmpty }.count
        lines.append(
            "\(entries.count) plugin\(entries.count == 1 ? "" : "s")"
                + (broken > 0 ? ", \(broken) with errors" : ""))
        return lines.joined(separator: "\n")
    }
}
