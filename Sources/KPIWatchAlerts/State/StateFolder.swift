import Foundation
import KPIWatchCore

/// The folder that holds the state store and its lock file, created on first use.
package enum StateFolder {
    /// Creates the folder of `statePath`; a folder that cannot be created (a file in its way, no permission) is an
    /// error that names it, never a crash or a silent skip.
    package static func create(for statePath: String, at location: SourceLocation? = nil) throws {
        let folder = (statePath as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw Diagnostic(
                "cannot create the state folder \(folder): \(fileErrorReason(error))", at: location,
                hint: "'state:' must name a file in a folder kpiwatch can create and write")
        }
    }
}
