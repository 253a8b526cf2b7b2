import Foundation
import KPIWatchBenchmarkData
import Testing

@testable import KPIWatchBenchmarks

/// The extract that ships with kpiwatch gives the figures the full published files give: `--data` still
/// reads DfE's and ONS's files as published, and `make_extract.py` keeps every row and column read.
@Suite struct BenchmarkFullReleaseTests {
    /// DfE's and ONS's files as published, cut to the South West (Fixtures/benchmarks/README.md).
    static let fullRelease = TestPaths.fixture("benchmarks/south-west-2024")

    /// England's, the South West's and Devon's figures: the ones this fixture has every row for.
    static func ownAndRegionalFigures(_ generated: GeneratedBenchmarks) -> [String: String] {
        var figures: [String: String] = [:]
        for figure in generated.figures where !figure.name.contains("statistical_neighbours") {
            // The fixture's ONS file holds mid-2024 only, and is named so.
            let source = figure.source.replacingOccurrences(
                of: "ons_mye_england_la_age0_25_2024.csv", with: "ons_mye_england_la_age0_25_2019_2024.csv")
            figures[figure.name] = "\(figure.text) \(figure.year) \(source)"
        }
        return figures
    }

    @Test func theFullFilesAsPublishedGiveTheExtractsFigures() throws {
        let full = try BenchmarkGenerator.generate(authority: "878", dataDirectory: Self.fullRelease)
        let extract = try BenchmarkGenerator.generate(authority: "878", dataDirectory: TestPaths.benchmarkExtract)
        let fullFigures = Self.ownAndRegionalFigures(full)
        #expect(fullFigures.count == 12)
        #expect(fullFigures == Self.ownAndRegionalFigures(extract))
        // Somerset's population is found under its new ONS code by name, as in the extract.
        #expect(full.figure("la_timeliness_20w")?.rounded == 3.2)
        #expect(full.figure("request_rate_regional")?.source.contains("15735 ÷ 1599672") == true)
    }

    @Test func neighboursOutsideTheFilesAreNamedNotDropped() throws {
        let full = try BenchmarkGenerator.generate(authority: "Devon", dataDirectory: Self.fullRelease)
        // Of Devon's ten neighbours only Dorset and Somerset are in the South West.
        let source = try #require(full.figure("statistical_neighbours_timeliness_20w_incl_exceptions")?.source)
        #expect(source.contains("mean of the rates of 2 of Devon's 10 statistical neighbours"))
        #expect(source.contains("Kent: not in dfe-2025/timeliness_20_week.csv for 2024"))
        #expect(full.notes.contains { $0.contains("statistical neighbour 'Kent' of Devon matches no authority") })
    }

    @Test func theExtractScriptKeepsEverythingTheFiguresAreMadeFrom() throws {
        let output = TemporaryDirectory()
        let extract = output.path + "/release"
        let result = try runProcess(
            "/usr/bin/env",
            ["python3", TestPaths.repo("Sources/KPIWatchBenchmarkData/make_extract.py"), Self.fullRelease, extract])
        #expect(result.status == 0, "\(result.stderr)")
        let fromFull = try BenchmarkGenerator.generate(authority: "878", dataDirectory: Self.fullRelease)
        let fromExtract = try BenchmarkGenerator.generate(authority: "878", dataDirectory: extract)
        #expect(fromExtract.entries == fromFull.entries)
        #expect(fromExtract.notes == fromFull.notes)
        #expect(fromExtract.yaml == fromFull.yaml)
        // Only the total rows of the three levels are kept: 16 areas and England of 99 rows.
        let requests = try String(contentsOfFile: extract + "/dfe-2025/requests.csv", encoding: .utf8)
        #expect(requests.split(separator: "\n").count == 1 + 17)
        let sources = try String(contentsOfFile: extract + "/SOURCES.md", encoding: .utf8)
        #expect(sources.contains("https://explore-education-statistics.service.gov.uk/find-statistics/"))
    }

    @Test func theShippedExtractIsTheBundleBesideTheTestRunner() throws {
        let bundled = try #require(BundledBenchmarkData.directory, "searched \(BundledBenchmarkData.searched)")
        for file in ["dfe-2025/timeliness_20_week.csv", "ons/ons_mye_england_la_age0_25_2019_2024.csv", "SOURCES.md"] {
            let built = FileManager.default.contents(atPath: bundled + "/" + file)
            #expect(
                built != nil && built == FileManager.default.contents(atPath: TestPaths.benchmarkExtract + "/" + file))
        }
    }
}
