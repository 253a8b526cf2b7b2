import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `type: stdout`: the alerts section of `kpiwatch check`, in the run's format (grouped per rule in text,
/// RULES.md §5's alert objects in JSON).
public struct StdoutSink: Sink {
    public var name: String { "stdout" }
    package let write: @Sendable (String) -> Void

    /// Writes through `print`, so the lines keep their place after the report printed before them.
    public init(write: @escaping @Sendable (String) -> Void = { print($0, terminator: "") }) {
        self.write = write
    }

    public static let factory: SinkFactory = { _, _ in StdoutSink() }

    public func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport {
        let text = Self.render(notifications, context: context)
        // An export (`check --format csv|openmetrics`) owns standard output; the alerts go beside it.
        if KPIExport.isExport(context.format) {
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            write(text)
        }
        return .allDelivered(notifications)
    }

    /// JSON lines in `json`; else the listing `check` prints (docs/alerts.md, "What check prints").
    public static func render(_ notifications: [AlertNotice], context: RunContext) -> String {
        if context.format == "json" {
            return notifications.map { JSONLines.notification($0).serialized + "\n" }.joined()
        }
        return AlertListing.render(notifications, new: context.newSinceLastRun, all: context.listEveryAlert)
    }
}
