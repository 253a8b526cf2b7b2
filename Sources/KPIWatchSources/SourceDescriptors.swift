import KPIWatchEngine

/// Each built-in source type as it describes itself to the registry: the keys the project loader checks, and that
/// `kpiwatch plugins` and docs/sources.md list.
extension CSVSource {
    public static let descriptor = SourceDescriptor(
        type: "csv", summary: "a delimited text file (UTF-8, or Windows-1252)",
        keys: [
            .required("path", .text, doc: "the file, relative to the project file"),
            AdapterKey(
                "delimiter", .text, doc: "`,` (default), `;`, `tab`, a space or any one ASCII character"),
        ], factory: factory)
}

extension XLSXSource {
    public static let descriptor = SourceDescriptor(
        type: "xlsx", summary: "a sheet of an Excel workbook (.xlsx)",
        keys: [
            .required("path", .text, doc: "the workbook, relative to the project file"),
            AdapterKey("sheet", .text, doc: "the sheet's name, or its 1-based index; default the first"),
            AdapterKey(
                "header_row", .integer, doc: "the 1-based row of the column names, default 1; rows above it are skipped"
            ),
        ], factory: factory)
}

extension JSONArraySource {
    public static let descriptor = SourceDescriptor(
        type: "json", summary: "a JSON document holding an array of records",
        keys: [
            .required("path", .text, doc: "the file, relative to the project file"),
            AdapterKey("records", .text, doc: "the key path to the array, e.g. `data.items`; default the document"),
        ], factory: factory)
}

extension JSONLinesSource {
    public static let descriptor = SourceDescriptor(
        type: "jsonl", summary: "one JSON object per line",
        keys: [.required("path", .text, doc: "the file, relative to the project file")], factory: factory)
}

extension SQLiteSource {
    public static let descriptor = SourceDescriptor(
        type: "sqlite", summary: "the rows of a query on a SQLite database file",
        keys: [
            .required("path", .text, doc: "the database file, relative to the project file"),
            .required("query", .text, doc: "the SQL query whose rows are the records"),
            AdapterKey("pushdown", .bool, doc: "whether the database may compute the KPIs' aggregates; default true"),
        ], factory: factory)
}

extension PostgresSource {
    public static let descriptor = SourceDescriptor(
        type: "postgres", summary: "the rows of a query on a PostgreSQL database",
        keys: [
            .required("url", .text, doc: "the connection URL, from `${env:…}`; never printed"),
            .required("query", .text, doc: "the SQL query whose rows are the records"),
            AdapterKey("pushdown", .bool, doc: "whether the database may compute the KPIs' aggregates; default true"),
        ], factory: factory)
}

extension HTTPSource {
    public static let descriptor = SourceDescriptor(
        type: "http", summary: "the records of a JSON API, fetched with GET, page by page",
        keys: [
            .required("url", .text, doc: "the API's https address; its credentials and query are never printed"),
            AdapterKey("records", .text, doc: "the key path to the array of records in each page"),
            AdapterKey(
                "auth", .mapping,
                doc: "`{ bearer: \"${env:TOKEN}\" }` or `{ basic: { username: …, password: \"${env:P}\" } }`"),
            AdapterKey("headers", .mapping, doc: "request headers, name: value"),
            AdapterKey(
                "pagination", .mapping,
                doc: "`{ next: links.next }`, `{ page_param: page, start: 1, size_param: per_page, size: 100 }` "
                    + "or `{ link_header: true }`"),
            AdapterKey("timeout", .duration, doc: "per request, default 30s"),
            AdapterKey("max_pages", .integer, doc: "default 1000"),
            AdapterKey("max_bytes", .integer, doc: "one page's body, default 50000000"),
            AdapterKey("max_attempts", .integer, doc: "1–10, default 4"),
            AdapterKey("allow_http", .bool, doc: "allow plain http, for a server on a trusted network; default false"),
        ], factory: factory)
}
