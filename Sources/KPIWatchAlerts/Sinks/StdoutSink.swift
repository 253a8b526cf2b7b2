import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `type: stdout`: the alerts section of `kpiwatch check`, in the run's format (a line per alert
/// in text, RULES.md §5's alert objects in JSON).
public struct StdoutSink: Sink {
    public var name: String { "stdout" }
    package let write: @Sendable (String) -> Void

    /// Writes through `print`, so the lines keep their place after the report printed before them.
    public init(write: @escaping @Sendable (String) -> Void = { print($0, terminator: "") }) {
        self.write = write
    }

    public static let factory: SinkFactory = { _, _ in StdoutSink() }

    public func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport {
        let text = Self.render(notifications, format: context.format, asOf: context.asOf)
        // An export (`check --format csv|openmetrics`) owns standard output; the alerts go beside it.
        if KPIExport.isExport(context.format) {
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            write(text)
        }
        return .allDelivered(notifications)
    }

    /// `asOf` marks alerts first seen on that day as NEW.
    public static func render(_ notifications: [AlertNotice], format: String, asOf: Day? = nil) -> String {
        if format == "json" {
            return notifications.map { JSONLines.notification($0).serialized + "\n" }.joined()
        }
        if notifications.isEmpty { return "No alerts.\n" }
        let critical = notifications.filter { $0.status == .firing && $0.alert.severity == .critical }.count
        let resolved = notifications.filter { $0.status == .resolved }.count
        let firing = notifications.count - resolved
        var out = "\(firing) alert\(firing == 1 ? "" : "s") (\(critical) critical)"
        out += resolved > 0 ? ", \(resolved) resolved:\n" : ":\n"
        for notification in notifications {
            let alert = notification.alert
            let tag = notification.status == .resolved ? "RESOLVED" : alert.severity.rawValue.uppercased()
            let new = notification.status == .firing && notification.firstSeen == asOf ? " NEW" : ""
            out += "  \(tag)\(new)  [\(alert.rule)] \(alert.message)\n"
        }
        return out
    }
}
