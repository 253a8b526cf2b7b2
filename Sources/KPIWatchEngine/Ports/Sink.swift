import KPIWatchCore

/// Where alerts go. As small as `Source`: the delivery pipeline hands a sink one batch of a run's notifications
/// (one `group_by` combination, whose values are in `context.groupLabels`) and the sink formats and delivers it.
/// Batching and retrying are the pipeline's: a sink makes one attempt per `send` and says which failures another
/// attempt might cure.
public protocol Sink: Sendable {
    /// A short name for messages and logs, never a secret (no webhook URL).
    var name: String { get }

    /// How many times in one run the pipeline may try a batch whose failure the sink called worth retrying.
    var maxAttempts: Int { get }

    /// Delivers notifications and says, per notification, whether it got through. A sink never
    /// throws for a failed delivery: what failed waits in the outbox for the next run.
    func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport
}

extension Sink {
    /// A first try and two more: enough to ride out a passing fault, short enough that a run does not hang.
    public var maxAttempts: Int { 3 }
}

/// Whether an alert is being raised or has cleared.
public enum AlertStatus: String, Sendable, Hashable, Codable {
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
    /// Failures that another attempt in this run may cure (a network error, an HTTP 5xx, a write that failed). The
    /// pipeline tries them again, up to the sink's `maxAttempts`; any other failure waits for the next run.
    public var retryable: Set<String>
    /// How long the receiver asked to wait before the next attempt (HTTP `Retry-After`), in seconds.
    public var retryAfter: Double?

    public init(
        delivered: Set<String> = [], failures: [String: String] = [:], retryable: Set<String> = [],
        retryAfter: Double? = nil
    ) {
        self.delivered = delivered
        self.failures = failures
        self.retryable = retryable
        self.retryAfter = retryAfter
    }

    public static func allDelivered(_ notifications: [AlertNotice]) -> DeliveryReport {
        DeliveryReport(delivered: Set(notifications.map(\.deliveryID)))
    }

    public static func allFailed(_ notifications: [AlertNotice], reason: String, retryable: Bool = false)
        -> DeliveryReport
    {
        let ids = notifications.map(\.deliveryID)
        return DeliveryReport(
            failures: Dictionary(ids.map { ($0, reason) }, uniquingKeysWith: { a, _ in a }),
            retryable: retryable ? Set(ids) : [])
    }
}

/// What a sink may know about the run that raised its alerts.
public struct RunContext: Sendable {
    public var asOf: Day
    public var projectFile: String
    public var dryRun: Bool
    /// `text` or `json`: how the run prints, for sinks that write to the terminal.
    public var format: String
    /// The sink's `group_by` fields and this batch's values of them, in the order configured (a missing value is
    /// empty); empty when the sink does not group. Set by the pipeline for each `send`, as Alertmanager hands its
    /// notifiers the group labels.
    public var groupLabels: [(name: String, value: String)]
    /// Identities of the alerts that began firing since the last recorded run, for what a listing marks NEW; nil
    /// when there is no earlier run to compare with (a first run marks nothing).
    public var newSinceLastRun: Set<String>?
    /// `check --all`: a terminal listing shows every alert, not the first few of each rule.
    public var listEveryAlert: Bool
    /// The report a chat digest points to (`StateStore.latestReport`); nil when `kpiwatch report` recorded none.
    public var report: RecordedReport?

    public init(
        asOf: Day, projectFile: String, dryRun: Bool = false, format: String = "text",
        groupLabels: [(name: String, value: String)] = [], newSinceLastRun: Set<String>? = nil,
        listEveryAlert: Bool = false, report: RecordedReport? = nil
    ) {
        self.asOf = asOf
        self.projectFile = projectFile
        self.dryRun = dryRun
        self.format = format
        self.groupLabels = groupLabels
        self.newSinceLastRun = newSinceLastRun
        self.listEveryAlert = listEveryAlert
        self.report = report
    }
}

/// Builds a sink from its `sinks:` entry, once the loader has checked its keys against the descriptor. The sink parses
/// its options into typed values here, when the project loads, so a run never meets a broken sink half-way.
public typealias SinkFactory = @Sendable (_ sink: SinkConfig, _ project: ProjectConfig) throws -> any Sink

/// A sink type as it describes itself: the `type:` name, the keys it reads beside the keys every sink has (its
/// policy: `name`, `match`, `quiet`, …), the factory, and what the delivery pipeline must know of it.
public struct SinkDescriptor: Sendable {
    /// The `type:` name, or for a family (`registerPrefix`) the prefix, such as `plugin:`.
    public var type: String
    public var summary: String
    public var keys: [AdapterKey]
    /// Whether keys the descriptor does not list are left to the factory (a plugin's manifest declares its own).
    public var factoryChecksOtherKeys: Bool
    /// Days before a still-firing alert is sent again when the sink sets no `repeat_interval`.
    public var defaultRepeatInterval: Int
    /// Whether it prints to the run's own output (the report then leaves the alerts to it), where a repeat is no
    /// news to anyone and an undelivered alert cannot wait for the next run.
    public var writesToTerminal: Bool
    public var factory: SinkFactory

    public init(
        type: String, summary: String = "", keys: [AdapterKey] = [], factoryChecksOtherKeys: Bool = false,
        defaultRepeatInterval: Int = SinkPolicy.defaultRepeatInterval, writesToTerminal: Bool = false,
        factory: @escaping SinkFactory
    ) {
        self.type = type
        self.summary = summary
        self.keys = keys
        self.factoryChecksOtherKeys = factoryChecksOtherKeys
        self.defaultRepeatInterval = defaultRepeatInterval
        self.writesToTerminal = writesToTerminal
        self.factory = factory
    }
}

/// Maps a sink's `type:` to its descriptor.
public struct SinkRegistry: Sendable {
    private var table = FactoryTable<SinkDescriptor>()

    public init(_ descriptors: [SinkDescriptor] = []) {
        for descriptor in descriptors { register(descriptor) }
    }

    public mutating func register(_ descriptor: SinkDescriptor) {
        table.register(descriptor.type, descriptor)
    }

    /// Registers a descriptor for every type that starts with its `type`, such as `plugin:`.
    public mutating func registerPrefix(_ descriptor: SinkDescriptor) {
        table.registerPrefix(descriptor.type, descriptor)
    }

    /// In registration order, families as `plugin:NAME`.
    public var types: [String] { table.types }

    public var descriptors: [(listedAs: String, descriptor: SinkDescriptor)] {
        table.entries.map { ($0.listedAs, $0.entry) }
    }

    public func descriptor(for type: String) -> SinkDescriptor? { table.entry(for: type) }

    public func makeSink(for config: SinkConfig, in project: ProjectConfig) throws -> any Sink {
        guard let descriptor = descriptor(for: config.type) else {
            throw Diagnostic(
                "unknown sink type '\(config.type)'", at: config.location,
                hint: suggestion(for: config.type, in: types, noun: "sink types"))
        }
        return try descriptor.factory(config, project)
    }
}
