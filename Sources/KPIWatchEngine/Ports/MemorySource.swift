import Foundation
import KPIWatchCore

/// Rows held in memory as a source: a rule test's inline rows, or a test or embedder that has its data already
/// and wants the engine without files. Cells are usually text, as an export would hold them, so the dataset's
/// own reader types and checks them (its `date_format`, `null_values` and types) exactly as in a live run.
public struct MemorySource: Source {
    /// The source type a dataset is switched to by `serving(_:in:)`; not a type a project file can name.
    static let type = "memory"

    public let origin: String
    public let columns: [String]
    public let rows: [SourceRow]

    public init(origin: String, columns: [String], rows: [SourceRow]) {
        self.origin = origin
        self.columns = columns
        self.rows = rows
    }

    /// Text rows under `columns` (nil is a missing cell); row numbers count from 2, as a CSV file's after its
    /// header.
    public init(origin: String, columns: [String], textRows: [[String?]]) {
        self.init(
            origin: origin, columns: columns,
            rows: textRows.enumerated().map { index, row in
                SourceRow(number: index + 2, cells: row.map { $0.map(Cell.text) ?? .missing })
            })
    }

    public func columnNames() throws -> [String] { columns }

    public func scan(columns wanted: [String], _ visit: (SourceRow) throws -> Void) throws {
        let indexes = wanted.map { columns.firstIndex(of: $0) }
        for row in rows {
            try visit(
                SourceRow(
                    number: row.number,
                    cells: indexes.map {
                        $0.flatMap { row.cells.indices.contains($0) ? row.cells[$0] : nil } ?? .missing
                    },
                    problem: row.problem))
        }
    }

    /// Never too old for `max_age`: the rows are as new as the run.
    public func extractedAt() -> Date? { nil }
}

extension Engine {
    /// `project` with each dataset named in `tables` read from memory instead of its source, and an engine that
    /// serves them; every other dataset is read as configured. The project is loaded and checked as written, so
    /// its errors and locations are the file's.
    public func serving(_ tables: [String: MemorySource], in project: LoadedProject) -> (LoadedProject, Engine) {
        var project = project
        for index in project.config.datasets.indices where tables[project.config.datasets[index].name] != nil {
            project.config.datasets[index].source = MemorySource.type
        }
        var engine = self
        // Not a type a project file names: the datasets' keys were checked against their own source's descriptor.
        engine.sources.register(
            SourceDescriptor(type: MemorySource.type, factoryChecksOtherKeys: true) { dataset, _ in
                guard let source = tables[dataset.name] else {
                    throw Diagnostic("dataset '\(dataset.name)' has no rows in memory")
                }
                return source
            })
        return (project, engine)
    }
}
