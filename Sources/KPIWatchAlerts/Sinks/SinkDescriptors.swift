import KPIWatchEngine

/// Each built-in sink type as it describes itself to the registry: the keys the project loader checks beside every
/// sink's policy keys, and that `kpiwatch plugins` and docs/alerts.md list.
extension StdoutSink {
    /// The report's alert list: shown on every run (no repeat interval), printed by the run itself.
    public static let descriptor = SinkDescriptor(
        type: "stdout", summary: "the alerts section of the run's report, every firing alert each run",
        defaultRepeatInterval: 0, writesToTerminal: true, factory: factory)
}

extension FileSink {
    public static let descriptor = SinkDescriptor(
        type: "file", summary: "appends a line per notification to a file, or writes a KPI export",
        keys: [
            .required("path", .text, doc: "the file, relative to the project file"),
            AdapterKey(
                "format", .oneOf(Format.allCases.map(\.rawValue)),
                doc: "jsonl (default) or csv; kpi_csv or openmetrics write a KPI export (docs/exports.md)"),
            AdapterKey("max_bytes", .integer, doc: "rotate the file past this size; default 10000000"),
            AdapterKey("keep", .integer, doc: "rotated files kept (path.1 … path.N); default 5"),
        ], factory: factory)
}

extension WebhookSink {
    public static let descriptor = SinkDescriptor(
        type: "webhook", summary: "posts to a Teams, Slack or Google Chat channel, or any HTTP receiver",
        keys: [
            .required(
                "url", .text, doc: "https only; through `${env:…}` or `${file:…}` (a literal is refused); never printed"
            ),
            AdapterKey(
                "format", .oneOf(WebhookFormat.allCases.map(\.rawValue)),
                doc: "the receiver's message shape; default generic (docs/webhook-generic.md)"),
            AdapterKey("title", .text, doc: "the messages' heading; default \"kpiwatch alerts\""),
            AdapterKey("timeout", .number, doc: "seconds per attempt, 0.1–300; default 10"),
            AdapterKey("max_attempts", .integer, doc: "1–10; default 4"),
            AdapterKey(
                "max_alerts", .integer,
                doc:
                    "lines shown per chat message (a case or a KPI alert each), alerts per generic envelope; the rest counted"
            ),
            AdapterKey("secret", .text, doc: "generic format only: signs each body (X-KPIWatch-Signature)"),
            AdapterKey("allow_http", .bool, doc: "allow plain http, for a relay on your own network; default false"),
        ], factory: factory)
}
