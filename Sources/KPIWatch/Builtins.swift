/// The one place that knows the concrete sources and sinks, like `LoggingSystem.bootstrap`.
extension Engine {
    public static func standard(history: any RunHistory = NoRunHistory()) -> Engine {
        var sources = SourceRegistry()
        sources.register("csv", CSVSource.factory)
        sources.register("xlsx", XLSXSource.factory)
        sources.register("sqlite", SQLiteSource.factory)
        sources.register("postgres", PostgresSource.factory)
        var sinks = SinkRegistry()
        sinks.register("stdout", StdoutSink.factory)
        sinks.register("file", FileSink.factory)
        sinks.register("webhook", WebhookSink.factory)
        return Engine(sources: sources, sinks: sinks, history: history)
    }
}
