import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchBenchmarkData
import KPIWatchBenchmarks
import KPIWatchCore

struct BenchmarksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmarks",
        abstract: "Write an authority's benchmark file from DfE's and ONS's published releases.",
        discussion: """
            Reads DfE's 'Education, health and care plans' files (timeliness_20_week.csv, requests.csv, \
            caseload.csv in the newest dfe-YYYY folder), ONS's mid-year population by age 0-25 (ons/) and \
            the statistical neighbours (reference/statistical_neighbours.csv) from the extract that ships \
            with kpiwatch, or from the folder --data names, and writes national, \
            regional, statistical-neighbour and the authority's own 20-week timeliness (excluding and \
            including exceptions), requests as % of the 0-24 population and EHC plans per 10,000 aged 0-25, \
            each with its year and source. List the file under `benchmarks:` in kpiwatch.yaml.
            Exit status: 0 written, 3 could not read the files or find the authority.
            """
    )

    @Option(name: .customLong("la"), help: "The authority: DfE number (878), ONS code (E10000008) or name (Devon).")
    var authority: String

    @Option(
        help: """
            A folder of DfE's and ONS's full published files (dfe-YYYY/, ons/, reference/), such as a \
            newer release. Default: the extract of their releases that ships with kpiwatch (its SOURCES.md \
            names them).
            """)
    var data: String?

    @Option(
        help: """
            Calendar year of timeliness and requests (the caseload is the January after it). Default: the \
            latest year in each file.
            """)
    var year: Int?

    @Option(help: "Write the benchmark file here instead of standard output.")
    var output: String?

    func run() throws {
        let generated: GeneratedBenchmarks
        do {
            generated = try BenchmarkGenerator.generate(
                authority: authority, dataDirectory: try data ?? Self.bundledData(), year: year)
        } catch let error as Diagnostics {
            report(error.items)
            throw couldNotEvaluate
        } catch let error as Diagnostic {
            report([error])
            throw couldNotEvaluate
        }
        for note in generated.notes { printError("note: " + note) }
        for missing in generated.missing { printError("note: \(missing.name) not available: \(missing.reason)") }
        guard let output else {
            print(generated.yaml, terminator: "")
            return
        }
        do {
            try generated.yaml.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            printError("error: cannot write \(output): \(error.localizedDescription)")
            throw couldNotEvaluate
        }
    }

    /// The extract SwiftPM builds beside the executable; an installed binary without it must be told.
    static func bundledData() throws -> String {
        if let directory = BundledBenchmarkData.directory { return directory }
        throw Diagnostic(
            "kpiwatch's benchmark data is not installed beside the executable", place: "--data",
            hint: "looked for " + BundledBenchmarkData.searched.joined(separator: ", ")
                + "; install \(BundledBenchmarkData.bundleName).resources beside the kpiwatch binary "
                + "(swift build puts it there), or give --data with DfE's and ONS's published files")
    }
}
