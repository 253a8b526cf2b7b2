import Foundation
import KPIWatchCore

/// Where the published files are in a data folder laid out as DfE and ONS publish them (and as the
/// extract in `Sources/KPIWatchBenchmarkData/release` is): DfE's release in
/// `dfe-YYYY/`, ONS's estimates in `ons/`, the statistical neighbours in `reference/`. Next year's release
/// is found whether it replaces these files or arrives beside them as `dfe-2026/` or
/// `ons_mye_england_la_age0_25_2019_2025.csv`: the newest of each is taken.
public struct ReleaseFiles: Sendable, Equatable {
    public var directory: String
    /// Paths relative to `directory`.
    public var timeliness: String
    public var requests: String
    public var caseload: String
    public var population: String
    public var neighbours: String

    package static let populationPrefix = "ons_mye_england_la_age0_25"

    public func path(_ relative: String) -> String { (directory as NSString).appendingPathComponent(relative) }

    /// - Throws: `Diagnostics` naming every file that is not there, and where it was looked for.
    public static func locate(in directory: String) throws -> ReleaseFiles {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw Diagnostic(
                "data folder \(directory) does not exist", place: "--data",
                hint: "give the folder that holds dfe-YYYY/, ons/ and reference/ (as kpiwatch's bundled extract does)")
        }
        var problems = DiagnosticCollector()
        let releases = dfeFolders(in: directory)
        func dfe(_ name: String) -> String {
            if let folder = releases.first(where: { exists($0 + "/" + name, in: directory) }) {
                return folder == "." ? name : folder + "/" + name
            }
            problems.add(
                Diagnostic(
                    "no \(name) in \(directory)", place: "--data",
                    hint: "looked in " + (releases.isEmpty ? "(no dfe-YYYY folder)" : releases.joined(separator: ", "))
                        + "; put DfE's 'Education, health and care plans' release files in a dfe-YYYY folder"))
            return name
        }
        let files = ReleaseFiles(
            directory: directory, timeliness: dfe(TimelinessBenchmarks.fileName),
            requests: dfe(RequestRateBenchmarks.fileName), caseload: dfe(PlansPerPopulationBenchmarks.fileName),
            population: newest(prefix: populationPrefix, in: directory, folder: "ons", &problems),
            neighbours: reference(in: directory, &problems))
        try problems.throwIfAny()
        return files
    }

    /// `dfe-2026` before `dfe-2025`, then the folder itself for files dropped in loose.
    private static func dfeFolders(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let folders = names.filter { $0.lowercased().hasPrefix("dfe-") }.sorted { $0 > $1 }
        return folders + ["."]
    }

    private static func newest(
        prefix: String, in directory: String, folder: String, _ problems: inout DiagnosticCollector
    ) -> String {
        for place in [folder, "."] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + place)) ?? []
            // The years in the name (…_2019_2025.csv) sort as text, so the last is the newest.
            if let name = names.filter({ $0.hasPrefix(prefix) && $0.lowercased().hasSuffix(".csv") }).max() {
                return place == "." ? name : place + "/" + name
            }
        }
        problems.add(
            Diagnostic(
                "no ONS population file \(prefix)_*.csv in \(directory)/\(folder)", place: "--data",
                hint:
                    "ONS's mid-year estimates by area with pop_0_24 and pop_0_25 (see Sources/KPIWatchBenchmarkData/README.md)"
            ))
        return prefix + ".csv"
    }

    private static func reference(in directory: String, _ problems: inout DiagnosticCollector) -> String {
        for candidate in ["reference/statistical_neighbours.csv", "statistical_neighbours.csv"]
        where exists(candidate, in: directory) {
            return candidate
        }
        problems.add(
            Diagnostic(
                "no reference/statistical_neighbours.csv in \(directory)", place: "--data",
                hint: "DfE's statistical neighbours: one column per authority, its 10 neighbours below"))
        return "reference/statistical_neighbours.csv"
    }

    private static func exists(_ relative: String, in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(relative))
    }
}
