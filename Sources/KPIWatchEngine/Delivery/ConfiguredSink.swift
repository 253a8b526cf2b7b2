import KPIWatchCore

/// A sink of the project ready to deliver: its policy (routes, quiet times, repeats, grouping) and the sink made
/// from its options. Both are read and checked when the project loads, so a run never meets a broken sink half-way
/// through delivery: `check` refuses the project before it evaluates, sends or stores anything.
public struct ConfiguredSink: Sendable {
    public var config: SinkConfig
    public var policy: SinkPolicy
    public var sink: any Sink
    /// From the type's descriptor: whether the sink prints to the run's own output.
    public var writesToTerminal: Bool = false

    /// Every sink of the project, or `Diagnostics` with every mistake in any of them, in reading order.
    public static func make(_ project: ProjectConfig, registry: SinkRegistry) throws -> [ConfiguredSink] {
        var diagnostics = DiagnosticCollector()
        let policies = diagnostics.capture { try SinkPolicy.read(project, registry: registry) }
        var sinks: [any Sink] = []
        for config in project.sinks {
            if let sink = diagnostics.capture({ try registry.makeSink(for: config, in: project) }) {
                sinks.append(sink)
            }
        }
        // A key both the policy and the sink read (e.g. `group_by`) would otherwise be reported twice.
        var seen = Set<Diagnostic>()
        let unique = diagnostics.items.filter { seen.insert($0).inserted }
        guard unique.isEmpty, let policies else { throw Diagnostics(inReadingOrder(unique)) }
        return zip(project.sinks, zip(policies, sinks)).map {
            ConfiguredSink(
                config: $0.0, policy: $0.1.0, sink: $0.1.1,
                writesToTerminal: registry.descriptor(for: $0.0.type)?.writesToTerminal ?? false)
        }
    }
}
