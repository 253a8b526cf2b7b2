import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `type: file`: appends one line per notification to `path` (relative to the project file), as JSON lines
/// (`format: jsonl`, the default) or CSV with a header (`format: csv`). A run's lines go out in one write, and a
/// new or rotated file appears whole by rename, so a crash leaves whole lines or none. When the file would pass
/// `max_bytes` (default 10 MB) it is rotated to `path.1` … `path.N` (`keep`, default 5).
public struct FileSink: Sink {
    public enum Format: String, Sendable, CaseIterable {
        case jsonl, csv
        /// KPI exports (docs/operations.md), written whole by the run with every KPI value; alerts are not appended.
        case kpiCSV = "kpi_csv"
        case openmetrics
    }

    public let path: String
    public var format: Format
    public var maxBytes: Int
    public var keep: Int
    public var name: String { "file \(path)" }

    public init(path: String, format: Format = .jsonl, maxBytes: Int = 10_000_000, keep: Int = 5) {
        self.path = path
        self.format = format
        self.maxBytes = maxBytes
        self.keep = keep
    }

    /// Reads the options the loader checked against `descriptor` into typed values, with the ranges it does not know.
    public static let factory: SinkFactory = { config, project in
        var diagnostics = DiagnosticCollector()
        let document = try YAMLDocument(text: "", file: config.node.file)
        guard let mapping = YAMLMapping(config.node.node, in: document, subject: "file sink", &diagnostics) else {
            throw Diagnostics(diagnostics.items)
        }
        let path = mapping.string("path", &diagnostics)
        if path?.isEmpty ?? true {
            diagnostics.add(
                Diagnostic("a file sink needs 'path'", at: config.location, hint: "e.g. path: out/alerts.jsonl"))
        }
        let format: Format? = mapping.choice("format", &diagnostics)
        let maxBytes = mapping.int("max_bytes", atLeast: 1, &diagnostics)
        let keep = mapping.int("keep", atLeast: 1, &diagnostics)
        try diagnostics.throwIfAny()
        return FileSink(
            path: project.resolve(path ?? ""), format: format ?? .jsonl, maxBytes: maxBytes ?? 10_000_000,
            keep: keep ?? 5)
    }

    /// A failed write is worth another attempt: a full disk or a folder in the way may clear in the meantime, and
    /// a write leaves whole lines or none, so trying again never doubles a line.
    public func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport {
        if format.export != nil { return .allDelivered(notifications) }
        do {
            try append(notifications)
            return .allDelivered(notifications)
        } catch let error as Diagnostic {
            return .allFailed(notifications, reason: error.message, retryable: true)
        } catch {
            return .allFailed(notifications, reason: "cannot write \(path): \(fileErrorReason(error))", retryable: true)
        }
    }

    package func append(_ notifications: [AlertNotice]) throws {
        guard !notifications.isEmpty else { return }
        let body = notifications.map(line).joined()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > 0, size + body.utf8.count <= maxBytes {
            try appendInOneWrite(Data(body.utf8))
            return
        }
        if let size, size > 0 { try rotate() }
        let header = format == .csv ? CSVLine.header : ""
        try writeWhole(Data((header + body).utf8))
    }

    private func line(_ notification: AlertNotice) -> String {
        switch format {
        case .jsonl: return JSONLines.notification(notification).serialized + "\n"
        case .csv: return CSVLine.render(notification)
        case .kpiCSV, .openmetrics: return ""
        }
    }

    private func appendInOneWrite(_ data: Data) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw Diagnostic("cannot write alerts to \(path)")
        }
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        do {
            try handle.write(contentsOf: data)
        } catch {
            // A full disk can take part of the write: cut it off, so the file keeps whole lines and the retry from
            // the outbox does not leave half a line behind.
            try? handle.truncate(atOffset: end)
            throw error
        }
    }

    /// A new file appears whole or not at all: written beside its place, then renamed into it.
    private func writeWhole(_ data: Data) throws {
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try data.write(to: URL(fileURLWithPath: temporary))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw Diagnostic("cannot write alerts to \(path): \(fileErrorReason(error))")
        }
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw Diagnostic("cannot write alerts to \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// path → path.1 → … → path.keep; the oldest falls off.
    private func rotate() throws {
        let manager = FileManager.default
        try? manager.removeItem(atPath: "\(path).\(keep)")
        for index in stride(from: keep - 1, through: 1, by: -1) where manager.fileExists(atPath: "\(path).\(index)") {
            try manager.moveItem(atPath: "\(path).\(index)", toPath: "\(path).\(index + 1)")
        }
        try manager.moveItem(atPath: path, toPath: "\(path).1")
    }
}

/// The file sink's CSV: one row per notification.
package enum CSVLine {
    package static let columns = [
        "status", "rule", "severity", "group", "key", "labels", "message", "period", "value", "first_seen",
    ]
    package static var header: String { columns.joined(separator: ",") + "\n" }

    package static func render(_ notification: AlertNotice) -> String {
        let alert = notification.alert
        func pairs(_ values: [String: String]) -> String {
            values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: ";")
        }
        let fields = [
            notification.status.rawValue, alert.rule, alert.severity.rawValue, pairs(alert.group), alert.key ?? "",
            pairs(alert.labels), alert.message, alert.period ?? "", alert.value.map { "\($0)" } ?? "",
            notification.firstSeen.iso,
        ]
        return fields.map(CSVField.quote).joined(separator: ",") + "\n"
    }
}
