import Foundation

/// `type: file`: appends one JSON line per alert to `path` (relative to the project file).
/// Each run's lines go out in one write, so a crash leaves whole lines or none.
public struct FileSink: Sink {
    public let path: String
    public var name: String { "file \(path)" }

    public init(path: String) {
        self.path = path
    }

    public static let factory: SinkFactory = { config, project in
        guard let path = config.option("path"), !path.isEmpty else {
            throw Diagnostic("a file sink needs 'path'", at: config.location, hint: "e.g. path: out/alerts.jsonl")
        }
        return FileSink(path: project.resolve(path))
    }

    public func send(_ notifications: [Notification], context: RunContext) -> DeliveryReport {
        do {
            try append(notifications)
            return .allDelivered(notifications)
        } catch {
            return .allFailed(notifications, reason: "\(error)")
        }
    }

    func append(_ notifications: [Notification]) throws {
        guard !notifications.isEmpty else { return }
        let text = notifications.map { JSONLines.notification($0).serialized + "\n" }.joined()
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw Diagnostic("cannot write alerts to \(path)")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
