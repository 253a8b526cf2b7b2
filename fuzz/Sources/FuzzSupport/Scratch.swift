import Foundation

/// One folder per fuzzing process for the inputs that the readers under test take as files
/// (in /dev/shm when there is one, so that a million writes do not touch the disk).
/// It is removed when the process exits normally; a crash leaves it for inspection.
public enum Scratch {
    nonisolated(unsafe) private static var removeAtExit: String?

    public static let folder: String = {
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        var template = Array("\(base)/kpiwatch-fuzz-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("cannot create a scratch folder in \(base)") }
        let path = String(cString: made)
        removeAtExit = path
        atexit {
            if let path = Scratch.removeAtExit { try? FileManager.default.removeItem(atPath: path) }
        }
        return path
    }()

    /// Writes `bytes` to `name` in the scratch folder (replacing it) and returns its path.
    @discardableResult
    public static func write(_ bytes: some Sequence<UInt8>, as name: String) -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        let folderOfFile = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folderOfFile, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("cannot write \(path)")
        }
        return path
    }

    public static func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
}
