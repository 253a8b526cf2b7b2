import Foundation
import Testing

@testable import KPIWatchBenchmarks

/// Next year's release, dropped where this year's is, is read without a change of code: the newest
/// year of each file is taken, and a population ONS has not yet published falls back to the latest one.
@Suite struct BenchmarkNextReleaseTests {
    /// A copy of the extract, with every total row of the latest year repeated for the year after;
    /// Devon's new timeliness row says 640 of 1277 plans excluding exceptions (50.1%).
    static func nextRelease(in directory: TemporaryDirectory, folder: String = "dfe-2025") throws {
        let data = TestPaths.benchmarkExtract
        for file in ["ons/ons_mye_england_la_age0_25_2019_2024.csv", "reference/statistical_neighbours.csv"] {
            directory.copy(data + "/" + file, to: file)
        }
        try appendYear(
            data + "/dfe-2025/timeliness_20_week.csv", to: directory, as: folder + "/timeliness_20_week.csv",
            topic: "All EHC plans issued", from: "2024", to: "2025",
            devon: ["plans_issued_20_weeks_ex": "640", "plans_issued_den_ex": "1277"])
        try appendYear(
            data + "/dfe-2025/requests.csv", to: directory, as: folder + "/requests.csv",
            topic: "All requests for EHC needs assessments", from: "2024", to: "2025",
            devon: ["requests_received_in_year": "2400"])
        try appendYear(
            data + "/dfe-2025/caseload.csv", to: directory, as: folder + "/caseload.csv", topic: "All EHC plans",
            from: "202425", to: "202526", devon: ["ehcplans": "10500"])
    }

    static func appendYear(
        _ source: String, to directory: TemporaryDirectory, as relative: String, topic: String, from: String,
        to: String, devon: [String: String]
    ) throws {
        let text = try String(contentsOfFile: source, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        var added: [String] = []
        for line in lines.dropFirst() where line.hasPrefix(from + ",") && line.contains(",\(topic),") {
            var next = to + line.dropFirst(from.count)
            if next.contains(",E10000008,878,Devon,") {
                // Devon's row has no quoted field, so its cells are its comma-separated parts.
                var cells = next.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                for (column, value) in devon { cells[header.firstIndex(of: column)!] = value }
                next = cells.joined(separator: ",")
            }
            added.append(next)
        }
        directory.write(
            relative, text + (text.last?.isNewline == true ? "" : "\n") + added.joined(separator: "\n") + "\n")
    }

    @Test func theNewerYearIsTakenFromTheSameFiles() throws {
        let directory = TemporaryDirectory()
        try Self.nextRelease(in: directory)
        let devon = try BenchmarkGenerator.generate(authority: "878", dataDirectory: directory.path)
        #expect(devon.figure("la_timeliness_20w")?.year == "2025")
        #expect(devon.figure("la_timeliness_20w")?.rounded == 50.1)  // 640 / 1277 = 50.12%
        #expect(devon.figure("national_timeliness_20w")?.year == "2025")
        #expect(devon.figure("national_timeliness_20w")?.rounded == 46.4)  // England's row repeated
        #expect(devon.figure("plans_per_10k_0_25_la")?.year == "2026")  // time_period 202526
    }

    @Test func aPopulationNotYetPublishedFallsBackToTheLatestAndSaysSo() throws {
        let directory = TemporaryDirectory()
        try Self.nextRelease(in: directory)
        let devon = try BenchmarkGenerator.generate(authority: "Devon", dataDirectory: directory.path)
        let request = try #require(devon.figure("request_rate_la"))
        // 2400 requests in 2025 ÷ mid-2024 pop_0_24 215474 (no mid-2025 yet) = 1.114%.
        #expect(request.rounded == 1.11)
        #expect(request.source.contains("mid-2025 population not in ons/ons_mye_england_la_age0_25_2019_2024.csv"))
        #expect(request.source.contains("mid-2024 used"))
        // 10500 plans in January 2026 ÷ mid-2024 pop_0_25 223690 (no mid-2025) × 10,000 = 469.4.
        #expect(devon.figure("plans_per_10k_0_25_la")?.rounded == 469.4)
    }

    @Test func aNewReleaseFolderBesideTheOldOneIsPreferred() throws {
        let directory = TemporaryDirectory()
        try Self.nextRelease(in: directory, folder: "dfe-2026")
        let data = TestPaths.benchmarkExtract + "/dfe-2025"
        for file in ["timeliness_20_week.csv", "requests.csv", "caseload.csv"] {
            directory.copy(data + "/" + file, to: "dfe-2025/" + file)
        }
        let devon = try BenchmarkGenerator.generate(authority: "878", dataDirectory: directory.path)
        #expect(devon.files.timeliness == "dfe-2026/timeliness_20_week.csv")
        #expect(devon.figure("la_timeliness_20w")?.year == "2025")
    }

    @Test func anEarlierYearOfTheNewReleaseCanStillBeChosen() throws {
        let directory = TemporaryDirectory()
        try Self.nextRelease(in: directory)
        let devon = try BenchmarkGenerator.generate(authority: "878", dataDirectory: directory.path, year: 2024)
        #expect(devon.figure("la_timeliness_20w")?.rounded == 3.2)
        #expect(devon.figure("plans_per_10k_0_25_la")?.rounded == 440.3)
    }
}
