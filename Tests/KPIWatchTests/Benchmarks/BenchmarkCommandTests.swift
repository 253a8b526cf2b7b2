import Foundation
import Testing

@testable import KPIWatchEngine

/// `kpiwatch benchmarks` end to end: the file it writes is one the project loads.
@Suite struct BenchmarkCommandTests {
    @Test func theWrittenFileLoadsAsBenchmarks() throws {
        let directory = TemporaryDirectory()
        let output = directory.path + "/benchmarks.yaml"
        let result = try runKPIWatch(["benchmarks", "--la", "878", "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let benchmarks = try BenchmarkLoader.load(files: [output])
        #expect(benchmarks.count == 16)
        let national = try #require(benchmarks["national_timeliness_20w"])
        #expect(national.value == .number(46.4))
        #expect(national.year == "2024")
        #expect(national.source?.contains("dfe-2025/timeliness_20_week.csv") == true)
        #expect(benchmarks["request_rate_la"]?.value == .number(1.05))
        #expect(benchmarks["plans_per_10k_0_25_statistical_neighbours"]?.value == .number(397.0))
    }

    @Test func standardOutputIsTheSameFileEveryTime() throws {
        let arguments = ["benchmarks", "--la", "Devon"]
        let first = try runKPIWatch(arguments)
        let second = try runKPIWatch(arguments)
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.hasPrefix("# Benchmarks for Devon (878, E10000008), South West"))
        #expect(first.stdout.contains("\nbenchmarks:\n  national_timeliness_20w: { value: 46.4, year: 2024, "))
    }

    @Test func withoutDataTheExtractBuiltBesideTheExecutableIsRead() throws {
        // From an empty folder: nothing beside the working directory is looked at.
        let empty = TemporaryDirectory()
        let result = try runKPIWatch(["benchmarks", "--la", "E10000008"], directory: empty.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("la_timeliness_20w: { value: 3.2, year: 2024"))
        #expect(result.stdout.contains("#   dfe-2025/timeliness_20_week.csv (calendar year 2024)"))
    }

    @Test func theDemosBenchmarkFileIsWhatTheShippedExtractGives() throws {
        // Refreshing the extract means writing the demo's file again: this says so.
        let result = try runKPIWatch(["benchmarks", "--la", "802"])
        #expect(result.status == 0, "\(result.stderr)")
        let committed = try String(contentsOfFile: TestPaths.repo("examples/demo/benchmarks.yaml"), encoding: .utf8)
        #expect(
            result.stdout == committed,
            "run `swift run kpiwatch benchmarks --la 802 --output examples/demo/benchmarks.yaml`")
    }

    @Test func anUnknownAuthorityExitsThreeWithTheNearestName() throws {
        let result = try runKPIWatch(["benchmarks", "--la", "Devn"])
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no local authority 'Devn'"))
        #expect(result.stderr.contains("did you mean 'Devon'?"))
    }

    @Test func figuresThatCannotBeComputedAreCommentsAndNotes() throws {
        // Dorset issued no plans excluding exceptions in 2024 (plans_issued_den_ex 0).
        let result = try runKPIWatch(["benchmarks", "--la", "838"])
        #expect(result.status == 0)
        #expect(
            result.stdout.contains(
                "  # la_timeliness_20w: not available: Dorset (838, E06000059): plans_issued_den_ex is 0"))
        #expect(result.stderr.contains("note: la_timeliness_20w not available"))
        #expect(result.stdout.contains("la_timeliness_20w_incl_exceptions: { value: 49.1, year: 2024"))  // 287 / 585
    }
}
