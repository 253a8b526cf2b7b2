import KPIWatchAlerts
import KPIWatchCore
import KPIWatchEngine
import KPIWatchPlugins
import KPIWatchSources

/// The one place that knows the concrete sources and sinks, like `LoggingSystem.bootstrap`: the engine knows them
/// only through the registries this fills.
extension Engine {
    public static func standard(history: any RunHistory = NoRunHistory()) -> Engine {
        var sources = SourceRegistry()
        sources.register("csv", CSVSource.factory)
        sources.register("xlsx", XLSXSource.factory)
        sources.register("sqlite", SQLiteSource.factory)
        sources.register("postgres", PostgresSource.factory)
        sources.register("jsonl", JSONLinesSource.factory)
        sources.register("json", JSONArraySource.factory)
        sources.register("http", HTTPSource.factory)
        sources.registerPrefix("plugin:", PluginSource.factory)
        var sinks = SinkRegistry()
        sinks.register("stdout", StdoutSink.factory)
        sinks.register("file", FileSink.factory)
        sinks.register("webhook", WebhookSink.factory)
        sinks.registerPrefix("plugin:", PluginSink.factory)
        return Engine(
            sources: sources, sinks: sinks, history: history, projectChecks: [{ try StateStore.check(for: $0) }])
    }
}
