import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Datasets are read side by side on several threads; what a run prints must not depend on how many, nor on which
/// finished first: the demo's five datasets give the same bytes with one worker, two, and more workers than
/// datasets, and so do the located errors of bad rows in two datasets read at once.
@Suite struct DatasetWorkersTests {
    static let asOf = Day(iso: "2026-10-31")!

    /// JSON lines, the text report and every dataset's outcome (rows, problems in order), as one text.
    static func output(_ config: String, workers: Int) throws -> String {
        var engine = Engine.standard()
        engine.datasetWorkers = workers
        let evaluation = try engine.evaluate(try engine.load(configPath: config), asOf: asOf)
        let datasets = evaluation.datasets.map {
            "\($0.name) \($0.status) read \($0.rowsRead) skipped \($0.rowsSkipped)\n"
                + $0.problems.map(\.description).joined(separator: "\n")
        }
        return JSONLines.render(evaluation) + TextReport.render(evaluation) + datasets.joined(separator: "\n")
    }

    @Test func theDemoPrintsTheSameBytesWithOneWorkerAndWithMany() throws {
        let config = TestPaths.repo("examples/demo/kpiwatch.yaml")
        let one = try Self.output(config, workers: 1)
        #expect(one.count > 100_000)
        for workers in [2, 8] { #expect(try Self.output(config, workers: workers) == one, "\(workers) workers") }
    }

    @Test func badRowsInTwoDatasetsReadAtOnceAreReportedAtTheSameRows() throws {
        let folder = try DemoOutputTests.demoCopy()
        for file in ["data/assessments.csv", "data/plans.csv"] {
            let path = (folder.path as NSString).appendingPathComponent(file)
            var text = try String(contentsOfFile: path, encoding: .utf8)
            text += "X-1,only two fields\n"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let config = folder.path + "/kpiwatch.yaml"
        let one = try Self.output(config, workers: 1)
        #expect(one.contains("data/assessments.csv, row "))
        #expect(one.contains("data/plans.csv, row "))
        #expect(try Self.output(config, workers: 2) == one)
    }
}
