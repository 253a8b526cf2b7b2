import Foundation
import KPIWatchCore
import Yams

/// A YAML node together with the file it came from: source and sink factories read their own
/// options from it, so a new adapter needs no change to the loader.
public struct ConfigNode: @unchecked Sendable {
    public var node: Yams.Node
    public var file: String

    public init(node: Yams.Node, file: String) {
        self.node = node
        self.file = file
    }

    public var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// Whether the value under `key` was written as a `${env:…}` or `${file:…}` reference in the file
    /// (values reach adapters already expanded, so the file itself is read at the value's position).
    public func isWrittenAsReference(_ key: String) -> Bool {
        guard case .mapping(let mapping) = node, let value = mapping[key], let mark = value.mark,
            let text = try? String(contentsOfFile: file, encoding: .utf8)
        else { return false }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line - 1 < lines.count else { return false }
        let written = lines[mark.line - 1].unicodeScalars.dropFirst(max(0, mark.column - 1))
        let rest = String(String.UnicodeScalarView(written))
        return rest.hasPrefix("${env:") || rest.hasPrefix("${file:") || rest.hasPrefix("\"${env:")
            || rest.hasPrefix("\"${file:") || rest.hasPrefix("'${env:") || rest.hasPrefix("'${file:")
    }

    public func location(of key: String) -> SourceLocation {
        guard case .mapping(let mapping) = node, let mark = mapping[key]?.mark else { return location }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }
}

/// `kpiwatch.yaml`, loaded and checked (RULES.md §1).
public struct ProjectConfig: Sendable {
    /// Path of the project file as the user named it.
    public var file: String
    /// Directory that relative paths in the project file are resolved against.
    public var directory: String
    public var version: Int
    public var timezone: String
    public var yearStart: YearStart
    /// Rule files found through `rules:` (folders expanded to their `.yaml`/`.yml` files, sorted).
    public var ruleFiles: [String]
    public var benchmarkFiles: [String]
    /// Path of the embedded state store, resolved against `directory`.
    public var statePath: String
    /// Where `state:` was written, for the state store's errors; nil when the default is used.
    public var stateLocation: SourceLocation?
    /// In the order written.
    public var datasets: [DatasetConfig]
    public var sinks: [SinkConfig]
    /// `as_of:`: the default as-of date for a frozen extract (such as the demo); `--as-of` overrides it.
    public var asOf: Day?
    /// `plugins:`: folders holding plugins (`NAME/plugin.yaml`), as written, relative to `directory`.
    public var pluginFolders: [String] = ["plugins"]
    /// `report:`: templates, title and logo of `kpiwatch report`.
    public var report = ReportSettings()

    public init(
        file: String, directory: String, version: Int = 1, timezone: String = "Europe/London",
        yearStart: YearStart = YearStart(month: 1, day: 1), ruleFiles: [String] = [],
        benchmarkFiles: [String] = [],
        statePath: String = ".kpiwatch/state.sqlite", datasets: [DatasetConfig] = [],
        sinks: [SinkConfig] = [], asOf: Day? = nil
    ) {
        self.file = file
        self.directory = directory
        self.version = version
        self.timezone = timezone
        self.yearStart = yearStart
        self.ruleFiles = ruleFiles
        self.benchmarkFiles = benchmarkFiles
        self.statePath = statePath
        self.datasets = datasets
        self.sinks = sinks
        self.asOf = asOf
    }

    public func dataset(named name: String) -> DatasetConfig? { datasets.first { $0.name == name } }

    /// A path from the project file, resolved against the project's directory.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        // A project file named without a folder keeps its paths as short as the user wrote them.
        if directory.isEmpty || directory == "." { return path }
        return (directory as NSString).appendingPathComponent(path)
    }
}

/// `year_start: "09-01"`: the first day of the year for `year`, `year_to_date` and `cumulative`.
public struct YearStart: Sendable, Hashable {
    public var month: Int
    public var day: Int

    public init(month: Int, day: Int) {
        self.month = month
        self.day = day
    }
}

/// What to do with rows whose values do not parse.
public enum BadRowPolicy: String, Sendable {
    /// Report every bad row (up to `errorLimit`) and do not evaluate the dataset: exit 3.
    case fail
    /// Leave bad rows out, evaluate the rest, and report how many were skipped.
    case skip
}

/// One entry of `datasets:`.
public struct DatasetConfig: Sendable {
    public var name: String
    /// `csv`, `jsonl`, … or `plugin:NAME`.
    public var source: String
    public var fields: [FieldSpec]
    public var nullValues: [String]
    public var dateFormat: String?
    /// Seconds; an extract older than this makes its KPIs stale.
    public var maxAge: Double?
    /// A field whose latest value is the extract's time (instead of the file's modification time).
    public var extractedAt: String?
    public var onBadRows: BadRowPolicy
    /// How many bad rows are reported one by one before the rest are only counted.
    public var errorLimit: Int
    /// The whole mapping, for source-specific keys (`path`, `delimiter`, `sheet`, `query`, …).
    public var node: ConfigNode
    public var location: SourceLocation

    public init(
        name: String, source: String, fields: [FieldSpec], nullValues: [String] = [""],
        dateFormat: String? = nil,
        maxAge: Double? = nil, extractedAt: String? = nil, onBadRows: BadRowPolicy = .fail,
        errorLimit: Int = 20,
        node: ConfigNode, location: SourceLocation
    ) {
        self.name = name
        self.source = source
        self.fields = fields
        self.nullValues = nullValues
        self.dateFormat = dateFormat
        self.maxAge = maxAge
        self.extractedAt = extractedAt
        self.onBadRows = onBadRows
        self.errorLimit = errorLimit
        self.node = node
        self.location = location
    }

    public func field(named name: String) -> FieldSpec? { fields.first { $0.name == name } }

    /// A source-specific string option (`path`, `query`, …), with `${env:…}`/`${file:…}` already expanded.
    public func option(_ key: String) -> String? {
        guard case .mapping(let mapping) = node.node, let value = mapping[key]?.string else {
            return nil
        }
        return value
    }

    public func optionLocation(_ key: String) -> SourceLocation {
        guard case .mapping(let mapping) = node.node, let value = mapping[key], let mark = value.mark
        else {
            return location
        }
        return SourceLocation(file: node.file, line: mark.line, column: mark.column)
    }
}

/// A field of a dataset: the name rules use, and the source column it comes from.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var column: String
    public var type: FieldType
    public var key: Bool
    public var personal: Bool
    public var location: SourceLocation

    public init(
        name: String, column: String, type: FieldType = .string, key: Bool = false,
        personal: Bool = false,
        location: SourceLocation
    ) {
        self.name = name
        self.column = column
        self.type = type
        self.key = key
        self.personal = personal
        self.location = location
    }
}

/// One entry of `sinks:`; the sink's factory reads its own options from `node`.
public struct SinkConfig: Sendable {
    public var type: String
    public var node: ConfigNode
    public var location: SourceLocation

    public init(type: String, node: ConfigNode, location: SourceLocation) {
        self.type = type
        self.node = node
        self.location = location
    }

    public func option(_ key: String) -> String? {
        guard case .mapping(let mapping) = node.node, let value = mapping[key]?.string else {
            return nil
        }
        return value
    }
}
