/// Where alerts go. As small as `Source`: the engine hands a sink the alerts of a run and
/// nothing else; formatting, batching and delivery are the sink's own business.
public protocol Sink: Sendable {
    /// A short name for messages, never a secret (no webhook URL).
    var name: String { get }

    /// Delivers the alerts of one run. Throws when delivery failed.
    func send(_ alerts: [Alert], context: RunContext) throws
}

/// What a sink may know about the run that raised its alerts.
public struct RunContext: Sendable {
    public var asOf: Day
    public var projectFile: String
    public var dryRun: Bool

    public init(asOf: Day, projectFile: String, dryRun: Bool = false) {
        self.asOf = asOf
        self.projectFile = projectFile
        self.dryRun = dryRun
    }
}

public typealias SinkFactory =
    @Sendable (_ sink: SinkConfig, _ project: ProjectConfig) throws -> any Sink

/// Maps a sink's `type:` to its factory.
public struct SinkRegistry: Sendable {
    private var factories: [String: SinkFactory]

    public init(factories: [String: SinkFactory] = [:]) {
        self.factories = factories
    }

    public mutating func register(_ type: String, _ factory: @escaping SinkFactory) {
        factories[type] = factory
    }

    public var types: [String] { factories.keys.sorted() }

    public func makeSink(for config: SinkConfig, in project: ProjectConfig) throws -> any Sink {
        guard let factory = factories[config.type] else {
            throw Diagnostic(
                "unknown sink type '\(config.type)'", at: config.location,
                hint: suggestion(for: config.type, in: types, noun: "sink types"))
        }
        return try factory(config, project)
    }
}
