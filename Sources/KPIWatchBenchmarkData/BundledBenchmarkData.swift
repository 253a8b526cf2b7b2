import Foundation

/// The extract of DfE's and ONS's releases in `release/` (see `release/SOURCES.md`), which SwiftPM
/// copies into a resource bundle beside every executable it builds: `swift run`, the test runner and a
/// release build all find it with no flag, and an installed `kpiwatch` finds it when the bundle is
/// installed beside the binary.
///
/// Looked up by hand rather than through SwiftPM's `Bundle.module`, which stops the process when the
/// bundle is missing; a missing bundle must be an error that names where it was looked for.
public enum BundledBenchmarkData {
    /// SwiftPM's name for this target's resource bundle: `<package>_<target>`.
    public static let bundleName = "kpiwatch_KPIWatchBenchmarkData"
    static let folder = "release"

    /// The extract's folder, laid out as `kpiwatch benchmarks --data` expects; nil when no bundle is
    /// beside the executable (`searched` says where it was looked for).
    public static var directory: String? {
        searched.first { isDirectory($0) }
    }

    /// Every folder the extract is looked for in, most likely first.
    public static var searched: [String] {
        // The executable's own folder, through a symbolic link such as /usr/local/bin/kpiwatch.
        var places: [URL] = [
            Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent(), Bundle.main.bundleURL,
        ].compactMap { $0 }
        // Under XCTest on macOS the main bundle is Xcode's runner; the test bundle sits beside the resources.
        places += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        var seen: Set<String> = []
        return places.map { $0.resolvingSymlinksInPath() }.flatMap { place in
            // Linux bundles are plain folders; macOS ones may keep their files in Contents/Resources.
            ["\(bundleName).resources", "\(bundleName).bundle", "\(bundleName).bundle/Contents/Resources"].map {
                place.appendingPathComponent($0).appendingPathComponent(folder).path
            }
        }.filter { seen.insert($0).inserted }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
