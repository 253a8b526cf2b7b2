import KPIWatchBenchmarkData

/// The default templates of `kpiwatch report` (`templates/`), which SwiftPM copies into a resource bundle beside
/// every executable it builds; a project's `report: { templates: DIR }` replaces any of them.
public enum BundledReportTemplates {
    /// SwiftPM's name for this target's resource bundle: `<package>_<target>`.
    public static let bundleName = "kpiwatch_KPIWatchReportTemplates"
    static let folder = "templates"

    /// nil when no bundle is beside the executable (`searched` says where it was looked for).
    public static var directory: String? { BundledResources.directory(bundleName: bundleName, folder: folder) }

    public static var searched: [String] { BundledResources.searched(bundleName: bundleName, folder: folder) }
}
