import Foundation

/// Finds a SwiftPM resource bundle's folder beside the running executable. Looked up by hand rather than through
/// SwiftPM's `Bundle.module`, which stops the process when the bundle is missing; a missing bundle must be an
/// error that names where it was looked for.
public enum BundledResources {
    /// Every folder `folder` of the bundle `bundleName` (`<package>_<target>`) is looked for in, most likely first.
    public static func searched(bundleName: String, folder: String) -> [String] {
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

    /// The first of `searched` that exists.
    public static func directory(bundleName: String, folder: String) -> String? {
        searched(bundleName: bundleName, folder: folder).first { isDirectory($0) }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
