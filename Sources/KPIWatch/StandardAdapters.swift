import KPIWatchAlerts
import KPIWatchCore
import KPIWatchEngine
import KPIWatchPlugins
import KPIWatchSources

/// The one place that knows the concrete sources and sinks, like `LoggingSystem.bootstrap`: the engine knows them
/// only through the descriptors this registers.
extension Engine {
    public static func standard(history: any RunHistory = NoRunHistory()) -> Engine {
        Engine(
            sources: standardSources, sinks: standardSinks, history: history,
            projectChecks: [{ try StateStore.check(for: $0) }])
    }

    /// In the order messages, `kpiwatch plugins` and the docs list them.
    public static var standardSources: SourceRegistry {
        var sources = SourceRegistry([
            CSVSource.descriptor, HTTPSource.descriptor, JSONArraySource.descriptor, JSONLinesSource.descriptor,
            PostgresSource.descriptor, SQLiteSource.descriptor, XLSXSource.descriptor,
        ])
        sources.registerPrefix(PluginSource.descriptor)
        return sources
    }

    public static var standardSinks: SinkRegistry {
        var sinks = SinkRegistry([StdoutSink.descriptor, FileSink.descriptor, WebhookSink.descriptor])
        sinks.registerPrefix(PluginSink.descriptor)
        return sinks
    }
}
