import Foundation
import Yams

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// The workbooks in `Fixtures/xlsx` (see `make_fixtures.sh`) and datasets that read them.
enum XLSXFixtures {
    static let folder = TestPaths.fixture("xlsx")

    /// A project whose folder is the fixtures folder, so `path: cases.xlsx` finds the fixture.
    static let project = ProjectConfig(file: folder + "/kpiwatch.yaml", directory: folder)

    /// A dataset whose mapping is `options` (YAML), e.g. `path: cases.xlsx`.
    static func dataset(_ options: String) throws -> DatasetConfig {
        let node = try Yams.compose(yaml: options) ?? Node.mapping(Node.Mapping([]))
        return DatasetConfig(
            name: "cases", source: "xlsx", fields: [], node: ConfigNode(node: node, file: "kpiwatch.yaml"),
            location: SourceLocation(file: "kpiwatch.yaml", line: 4, column: 3))
    }

    static func source(_ options: String) throws -> any Source {
        try XLSXSource.factory(dataset(options), project)
    }

    /// Every row of `source`, projected to all its columns, as (row number, cells by column name).
    static func rows(_ source: any Source) throws -> [(number: Int, cells: [String: Cell])] {
        let columns = try source.columnNames()
        var rows: [(number: Int, cells: [String: Cell])] = []
        try source.scan(columns: columns) { row in
            rows.append((row.number, Dictionary(uniqueKeysWithValues: zip(columns, row.cells))))
        }
        return rows
    }

    static func day(_ iso: String) -> Cell { .date(Day(iso: iso)!) }

    /// The diagnostic `body` throws, or nil if it throws none.
    static func diagnostic(_ body: () throws -> Void) -> Diagnostic? {
        do {
            try body()
        } catch let error as Diagnostic {
            return error
        } catch {
            return Diagnostic("unexpected error \(error)")
        }
        return nil
    }
}
