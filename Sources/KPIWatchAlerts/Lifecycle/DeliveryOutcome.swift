import KPIWatchCore
import KPIWatchEngine

/// What one sink was sent, held and failed in a run: the one-line summary `check` prints.
public struct SinkDelivery: Sendable {
    public var sink: String
    /// Firing notifications that got through (new, escalated or repeated).
    public var sent = 0
    public var resolved = 0
    /// Outbox items that got through in this run (counted in `sent`/`resolved` too).
    public var fromOutbox = 0
    public var repeatSuppressed = 0
    public var silenced = 0
    public var inhibited = 0
    /// Put in (or kept in) the outbox by a quiet time.
    public var held = 0
    /// Failed in this run: now waiting in the outbox.
    public var failed = 0
    /// Why the first notification failed (never a URL).
    public var firstFailure: String?
    /// A dry run counts what it would send, and sends nothing.
    public var dryRun = false

    public init(sink: String, dryRun: Bool = false) {
        self.sink = sink
        self.dryRun = dryRun
    }

    package mutating func noteFailure(_ reason: String) {
        failed += 1
        if firstFailure == nil, reason != SinkSender.behindEarlierNotice { firstFailure = Outbox.withoutURLs(reason) }
    }

    /// A run that could not deliver everything it decided says so in one line, at the sink's entry in the project
    /// file, and exits 3; what failed waits in the outbox.
    package func failureDiagnostic(at location: SourceLocation) -> Diagnostic? {
        guard failed > 0 else { return nil }
        let reason = firstFailure.map { " (\($0))" } ?? ""
        let count = failed == 1 ? "1 notification" : "\(failed) notifications"
        return Diagnostic(
            "sink '\(sink)': \(count) not delivered\(reason); \(failed == 1 ? "it waits" : "they wait") in the outbox",
            at: location, hint: "the next run sends \(failed == 1 ? "it" : "them") first; 'kpiwatch outbox' lists them")
    }

    public var summary: String {
        var parts = ["\(sent) \(dryRun ? "would be sent" : "sent")", "\(resolved) resolved"]
        if fromOutbox > 0 { parts.append("\(fromOutbox) from the outbox") }
        parts += ["\(repeatSuppressed) repeat suppressed", "\(silenced) silenced"]
        if inhibited > 0 { parts.append("\(inhibited) inhibited") }
        parts += ["\(held) held", "\(failed) failed → outbox"]
        return "\(sink): " + parts.joined(separator: ", ")
    }
}

/// What the delivery pipeline did in a run.
public struct DeliveryOutcome: Sendable {
    public var sinks: [SinkDelivery] = []
    /// Identities that began firing in this run.
    public var new: Set<String> = []
    /// Alerts that resolved in this run.
    public var resolved: [Alert] = []
    /// Sinks that could not be made, and state store errors.
    public var diagnostics: [Diagnostic] = []

    public init() {}
}
