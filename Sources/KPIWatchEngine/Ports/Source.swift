import Foundation
import KPIWatchCore

/// One cell as a source delivers it, before the dataset's declared type is applied.
/// Text sources (CSV) give `.text`; typed sources (Excel, SQL, JSON) give what they hold.
public enum Cell: Sendable, Hashable {
    case missing
    case text(String)
    case int(Int)
    case number(Double)
    case bool(Bool)
    case date(Day)
}

/// A row of cells in the order of the columns asked for, and where the row is in the source,
/// so that a bad value can be reported as `data/assessments.csv, row 14`.
public struct SourceRow: Sendable {
    /// 1-based row number as the user would find it (the header of a CSV is row 1).
    public var number: Int
    public var cells: [Cell]
    /// Why the row as a whole cannot be read (a CSV row with more fields than the header), or nil.
    /// The reader reports it as a data error of this row and reads on, instead of the source
    /// stopping the whole scan at the first malformed row.
    public var problem: String?

    public init(number: Int, cells: [Cell], problem: String? = nil) {
        self.number = number
        self.cells = cells
        self.problem = problem
    }
}

/// Where a dataset's records come from. As small as swift-log's `LogHandler`: the engine knows
/// nothing else about CSV files, workbooks, databases or plugins.
public protocol Source: Sendable {
    /// What the user knows the source as (a path, a URL without credentials, a plugin name).
    var origin: String { get }

    /// The columns the source offers; `validate` reads no more than this.
    func columnNames() throws -> [String]

    /// Streams every row, projected to `columns` (each one of `columnNames()`), in source order.
    func scan(columns: [String], _ visit: (SourceRow) throws -> Void) throws

    /// When the data was extracted (a file's modification time), for `max_age`; nil if unknown.
    func extractedAt() -> Date?
}

/// Builds a source from a dataset's configuration. Registered by `type:` in `SourceRegistry`.
public typealias SourceFactory =
    @Sendable (_ dataset: DatasetConfig, _ project: ProjectConfig) throws -> any Source

/// Maps a dataset's `source:` to the factory that builds it, the way `LoggingSystem.bootstrap`
/// chooses a log handler: the one place that knows the concrete sources.
public struct SourceRegistry: Sendable {
    private var table: FactoryTable<SourceFactory>

    public init(factories: [String: SourceFactory] = [:]) {
        table = FactoryTable(factories)
    }

    public mutating func register(_ type: String, _ factory: @escaping SourceFactory) {
        table.register(type, factory)
    }

    /// Registers a factory for every type that starts with `prefix`, such as `plugin:`.
    public mutating func registerPrefix(_ prefix: String, _ factory: @escaping SourceFactory) {
        table.registerPrefix(prefix, factory)
    }

    public var types: [String] { table.types }

    public func factory(for type: String) -> SourceFactory? { table.factory(for: type) }

    public func makeSource(for dataset: DatasetConfig, in project: ProjectConfig) throws -> any Source {
        guard let factory = factory(for: dataset.source) else {
            throw Diagnostic(
                "unknown source '\(dataset.source)' for dataset '\(dataset.name)'",
                at: dataset.optionLocation("source"),
                hint: suggestion(for: dataset.source, in: types, noun: "sources"))
        }
        return try factory(dataset, project)
    }
}
