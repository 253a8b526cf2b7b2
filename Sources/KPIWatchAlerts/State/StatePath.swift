import Foundation
import KPIWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `state:` may name: a regular file, or a path where one can be created. Checked before anything opens it, so a
/// FIFO never blocks a run, and a path under a file or a system folder is refused where it was written.
package enum StatePath {
    private static let typeMask: mode_t = 0o170_000
    private static let directory: mode_t = 0o040_000
    private static let regular: mode_t = 0o100_000

    package static func check(_ path: String, at location: SourceLocation?) throws {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let standardized = (absolute as NSString).standardizingPath
        for system in ["/proc", "/sys", "/dev"] where standardized == system || standardized.hasPrefix(system + "/") {
            throw Diagnostic(
                "'state: \(path)' is under \(system), which holds the system's own files, not a database",
                at: location, hint: "name a file of your own, e.g. state: .kpiwatch/state.sqlite")
        }
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & typeMask {
            case regular: return
            case directory:
                throw Diagnostic(
                    "'state: \(path)' is a folder", at: location,
                    hint:
                        "name the database file in it, e.g. \((path as NSString).appendingPathComponent("state.sqlite"))"
                )
            default:
                throw Diagnostic(
                    "'state: \(path)' is not a regular file (a FIFO, device or socket); kpiwatch would block on it or "
                        + "lose what it stores", at: location, hint: "name a regular file, e.g. .kpiwatch/state.sqlite")
            }
        }
        if errno == ELOOP {
            throw Diagnostic(
                "'state: \(path)' is a symbolic link that leads back to itself", at: location,
                hint: "point the link at a file, or name the file itself")
        }
        // Nothing there yet: the nearest folder that exists must be a folder, or nothing can be created under it.
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, ancestor != "/" {
            if stat(ancestor, &info) == 0 {
                guard info.st_mode & typeMask == directory else {
                    throw Diagnostic(
                        "'state: \(path)' cannot be created: \(ancestor) is a file, not a folder", at: location,
                        hint: "name a file in a folder, e.g. .kpiwatch/state.sqlite")
                }
                return
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
    }
}
