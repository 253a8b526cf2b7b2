import Foundation

/// The extract of DfE's and ONS's releases in `release/` (see `release/SOURCES.md`), which SwiftPM
/// copies into a resource bundle beside every executable it builds: `swift run`, the test runner and a
/// release build all find it with no flag, and an installed `kpiwatch` finds it when the bundle is
/// installed beside the binary.
///
/// Looked up by `BundledResources`, not SwiftPM's `Bundle.module` (which stops the process when it is missing).
public enum BundledBenchmarkData {
    /// SwiftPM's name for this target's resource bundle: `<package>_<target>`.
    public static let bundleName = "kpiwatch_KPIWatchBenchmarkData"
    package static let folder = "release"

    /// The extract's folder, laid out as `kpiwatch benchmarks --data` expects; nil when no bundle is
    /// beside the executable (`searched` says where it was looked for).
    public static var directory: String? { BundledResources.directory(bundleName: bundleName, folder: folder) }

    /// Every folder the extract is looked for in, most likely first.
    public static var searched: [String] { BundledResources.searched(bundleName: bundleName, folder: folder) }
}
