import KPIWatchCore

/// Where alerts go. As small as `Source`: the engine hands a sink the notifications of a run
/// and nothing else; formatting, batching and delivery are the sink's own business.
public protocol Sink: Sendable {
    /// A short name for messages and logs, never a secret (no webhook URL).
    var name: String { get }

    /// Delivers notifications and says, per notification, whether it got through. A sink never
    /// throws for a failed delivery: what failed waits in the outbox for the next run.
    func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport
}

/// Whether an alert is being raised or has cleared.
public enum AlertStatus: String, Sendable, Hashable {
    case firing, resolved
}

/// One thing to tell a channel: an alert that fires (or fires again after its repeat interval),
/// or one that has resolved.
public struct AlertNotice: Sendable, Hashable {
    public var alert: Alert
    public var status: AlertStatus
    /// The as-of date the alert was first seen firing.
    public var firstSeen: Day
    /// The as-of date it resolved, for resolved notices.
    public var resolvedOn: Day?

    public init(alert: Alert, status: AlertStatus = .firing, firstSeen: Day, resolvedOn: Day? = nil) {
        self.alert = alert
        self.status = status
        self.firstSeen = firstSeen
        self.resolvedOn = resolvedOn
    }

    /// What a delivery is recorded against: the alert's identity and whether it fired or resolved.
    public var deliveryID: String { "\(alert.identity)#\(status.rawValue)" }

    /// `deliveryID` and the day the episode began: the outbox can hold one episode's notices and the next's.
    public var episodeID: String { "\(deliveryID)@\(firstSeen.iso)" }
}

/// The outcome of one `send`: which notifications got through and why the others did not.
public struct DeliveryReport: Sendable {
    public var delivered: Set<String>
    /// `deliveryID` → reason, for every notification that did not get through.
    public var failures: [String: String]

    public init(delivered: Set<String> = [], failures: [String: String] = [:]) {
        self.delivered = delivered
        self.failures = failures
    }

    public static func allDelivered(_ notifications: [AlertNotice]) -> DeliveryReport {
        DeliveryReport(delivered: Set(notifications.map(\.deliveryID)))
    }

    public static func allFailed(_ notifications: [AlertNotice], reason: String) -> DeliveryReport {
        DeliveryReport(
            failures: Dictionary(notifications.map { ($0.deliveryID, reason) }, uniquingKeysWith: { a, _ in a }))
    }
}

/// What a sink may know about the run that raised its alerts.
public struct RunContext: Sendable {
    public var asOf: Day
    public var projectFile: String
    public var dryRun: Bool
    /// `text` or `json`: how the run prints, for sinks that write to the terminal.
    public var format: String

    public init(asOf: Day, projectFile: String, dryRun: Bool = false, format: String = "text") {
        self.asOf = asOf
        self.projectFile = projectFile
        self.dryRun = dryRun
        self.format = format
    }
}

public typealias SinkFactory = @Sendable (_ sink: SinkConfig, _ project: ProjectConfig) throws -> any Sink

/// Maps a sink's `type:` to its factory.
public struct SinkRegistry: Sendable {
    private var table: FactoryTable<SinkFactory>

    public init(factories: [String: SinkFactory] = [:]) {
        table = FactoryTable(factories)
    }

    public mutating func register(_ type: String, _ factory: @escaping SinkFactory) {
        table.register(type, factory)
    }

    /// Registers a factory for every type that starts with `prefix`, such as `plugin:`.
    public mutating func registerPrefix(_ prefix: String, _ factory: @escaping SinkFactory) {
        table.registerPrefix(prefix, factory)
    }

    public var types: [String] { table.types }

    public func factory(for type: String) -> SinkFactory? { table.factory(for: type) }

    public func makeSink(for config: SinkConfig, in project: ProjectConfig) throws -> any Sink {
        guard let factory = factory(for: config.type) else {
            throw Diagnostic(
                "unknown sink type '\(config.type)'", at: config.location,
                hint: suggestion(for: config.type, in: types, noun: "sink types"))
        }
        return try factory(config, project)
    }
}
