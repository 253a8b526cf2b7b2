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

/// Builds a source from a dataset's configuration, once the loader has checked its keys against the descriptor.
public typealias SourceFactory =
    @Sendable (_ dataset: DatasetConfig, _ project: ProjectConfig) throws -> any Source

/// A source type as it describes itself: the `source:` name, the keys it reads beside the common dataset keys, and
/// the factory. Registering one is all a new source needs: the loader checks its keys, `kpiwatch plugins` and the
/// docs list them.
public struct SourceDescriptor: Sendable {
    /// The `source:` name, or for a family (`registerPrefix`) the prefix, such as `plugin:`.
    public var type: String
    /// One line: what it reads.
    public var summary: String
    public var keys: [AdapterKey]
    /// Whether keys the descriptor does not list are left to the factory (a plugin's manifest declares its own).
    public var factoryChecksOtherKeys: Bool
    public var factory: SourceFactory

    public init(
        type: String, summary: String = "", keys: [AdapterKey] = [], factoryChecksOtherKeys: Bool = false,
        factory: @escaping SourceFactory
    ) {
        self.type = type
        self.summary = summary
        self.keys = keys
        self.factoryChecksOtherKeys = factoryChecksOtherKeys
        self.factory = factory
    }
}

/// Maps a dataset's `source:` to its descriptor, the way `LoggingSystem.bootstrap` chooses a log handler: the one
/// place that knows the concrete sources.
public struct SourceRegistry: Sendable {
    private var table = FactoryTable<SourceDescriptor>()

    public init(_ descriptors: [SourceDescriptor] = []) {
        for descriptor in descriptors { register(descriptor) }
    }

    public mutating func register(_ descriptor: SourceDescriptor) {
        table.register(descriptor.type, descriptor)
    }

    /// Registers a descriptor for every type that starts with its `type`, such as `plugin:`.
    public mutating func registerPrefix(_ descriptor: SourceDescriptor) {
        table.registerPrefix(descriptor.type, descriptor)
    }

    /// In registration order, families as `plugin:NAME`.
    public var types: [String] { table.types }

    /// Every descriptor with the name it is listed under (`plugin:NAME` for a family).
    public var descriptors: [(listedAs: String, descriptor: SourceDescriptor)] {
        table.entries.map { ($0.listedAs, $0.entry) }
    }

    public func descriptor(for type: String) -> SourceDescriptor? { table.entry(for: type) }

    public func makeSource(for dataset: DatasetConfig, in project: ProjectConfig) throws -> any Source {
        guard let descriptor = descriptor(for: dataset.source) else {
            throw Diagnostic(
                "unknown source '\(dataset.source)' for dataset '\(dataset.name)'",
                at: dataset.optionLocation("source"),
                hint: suggestion(for: dataset.source, in: types, noun: "sources"))
        }
        return try descriptor.factory(dataset, project)
    }
}
