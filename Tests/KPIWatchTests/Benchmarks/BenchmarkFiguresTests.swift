import Foundation
import Testing

@testable import KPIWatchBenchmarks
@testable import KPIWatchCore

/// Devon's benchmarks from the extract of the real 2025 release that ships with kpiwatch, checked against
/// figures read off the full files by hand (grep of the total rows; the arithmetic is in each comment).
@Suite struct BenchmarkFiguresTests {
    /// Computed once: every test reads the same release.
    static let generated = Result {
        try BenchmarkGenerator.generate(authority: "878", dataDirectory: TestPaths.benchmarkExtract)
    }

    static func devon() throws -> GeneratedBenchmarks { try generated.get() }

    static func value(_ generated: GeneratedBenchmarks, _ name: String) -> Double? {
        generated.figure(name)?.rounded
    }

    @Test func latestYearOfEachFileIsTaken() throws {
        let devon = try Self.devon()
        #expect(devon.figure("national_timeliness_20w")?.year == "2024")
        #expect(devon.figure("request_rate_national")?.year == "2024")
        // caseload.csv's latest time_period is 202425, the count of January 2025.
        #expect(devon.figure("plans_per_10k_0_25_national")?.year == "2025")
        #expect(devon.files.timeliness == "dfe-2025/timeliness_20_week.csv")
        #expect(devon.files.population == "ons/ons_mye_england_la_age0_25_2019_2024.csv")
    }

    @Test func englandTimelinessMatchesThePublishedRow() throws {
        let devon = try Self.devon()
        // 2024,National,…,plans_issued_den 90392, den_ex 84866, within 41448, within_ex 39407 (PC 45.9, 46.4).
        #expect(Self.value(devon, "national_timeliness_20w") == 46.4)  // 39407 / 84866 = 46.43%
        #expect(Self.value(devon, "national_timeliness_20w_incl_exceptions") == 45.9)  // 41448 / 90392 = 45.85%
        #expect(devon.figure("national_timeliness_20w")?.source.contains("39407 ÷ 84866") == true)
        #expect(devon.figure("national_timeliness_20w")?.source.contains("plans_issued_20_weeks_ex") == true)
    }

    @Test func devonsOwnTimelinessIsItsPublishedFigure() throws {
        let devon = try Self.devon()
        // 2024,Local authority,…,E10000008,878,Devon,…,1277,1277,41,41,3.2,3.2: 41 / 1277 = 3.21%.
        #expect(Self.value(devon, "la_timeliness_20w") == 3.2)
        #expect(Self.value(devon, "la_timeliness_20w_incl_exceptions") == 3.2)
    }

    @Test func southWestTimelinessIsDevonsRegion() throws {
        let devon = try Self.devon()
        #expect(devon.authority.regionName == "South West")
        // 2024,Regional,…,E12000009,South West,…,8919,7886,2767,2245: 2245 / 7886 = 28.47%; 2767 / 8919 = 31.02%.
        #expect(Self.value(devon, "regional_timeliness_20w") == 28.5)
        #expect(Self.value(devon, "regional_timeliness_20w_incl_exceptions") == 31.0)
        #expect(devon.figure("regional_timeliness_20w")?.source.contains("South West (E12000009)") == true)
    }

    @Test func statisticalNeighboursAreTheMeanOfTheTenNeighboursRates() throws {
        let devon = try Self.devon()
        #expect(
            devon.neighbours == [
                "East Sussex", "Dorset", "Norfolk", "Kent", "Somerset", "Suffolk", "West Sussex", "Derbyshire",
                "Essex", "Worcestershire",
            ])
        // Excluding exceptions, 2024: East Sussex 342/402, Norfolk 981/1743, Kent 783/2354, Somerset 190/567,
        // Suffolk 347/1366, West Sussex 171/1495, Derbyshire 438/1158, Essex 270/1797, Worcestershire 515/1377
        // (85.07 + 56.28 + 33.26 + 33.51 + 25.40 + 11.44 + 37.82 + 15.03 + 37.40) / 9 = 37.25. Dorset issued
        // 0 plans excluding exceptions (den_ex 0), so it has no rate and is named as left out.
        #expect(Self.value(devon, "statistical_neighbours_timeliness_20w") == 37.2)
        let source = try #require(devon.figure("statistical_neighbours_timeliness_20w")?.source)
        #expect(source.contains("9 of Devon's 10"))
        #expect(source.contains("Dorset: plans_issued_den_ex is 0"))
        // Including exceptions all ten have a rate (Dorset 287/585 = 49.06%): mean 37.85.
        #expect(Self.value(devon, "statistical_neighbours_timeliness_20w_incl_exceptions") == 37.8)
    }

    @Test func requestRatesArePercentOfTheZeroToTwentyFourPopulation() throws {
        let devon = try Self.devon()
        // requests.csv 2024 requests_received_in_year ÷ ONS mid-2024 pop_0_24 × 100:
        // England 154489 / 17090872 (E92000001 row) = 0.904%; South West 15735 / 1599672 (its 15 LAs) = 0.984%;
        // Devon 2265 / 215474 = 1.051%.
        #expect(Self.value(devon, "request_rate_national") == 0.90)
        #expect(Self.value(devon, "request_rate_regional") == 0.98)
        #expect(Self.value(devon, "request_rate_la") == 1.05)
        #expect(devon.figure("request_rate_la")?.text == "1.05")
        #expect(devon.figure("request_rate_national")?.text == "0.90")
        // Neighbours: East Sussex 1107/138332, Dorset 881/88975, Norfolk 2562/240252, Kent 4001/466862,
        // Somerset 1207/148937 (ONS code E06000066, matched by name), Suffolk 2784/203144, West Sussex
        // 2448/239112, Derbyshire 2713/206362, Essex 4255/435179, Worcestershire 1883/161509: mean 1.038%.
        #expect(Self.value(devon, "request_rate_statistical_neighbours") == 1.04)
    }

    @Test func plansPerTenThousandAreJanuaryCountsOverTheZeroToTwentyFivePopulation() throws {
        let devon = try Self.devon()
        // caseload.csv 202425 ehcplans ÷ ONS mid-2024 pop_0_25 × 10,000:
        // England 638745 / 17849967 = 357.84; South West 62875 / 1666783 = 377.22; Devon 9848 / 223690 = 440.25.
        #expect(Self.value(devon, "plans_per_10k_0_25_national") == 357.8)
        #expect(Self.value(devon, "plans_per_10k_0_25_regional") == 377.2)
        #expect(Self.value(devon, "plans_per_10k_0_25_la") == 440.3)
        // Neighbours' rates 343.81, 469.02, 485.51, 426.31, 369.87, 417.29, 374.76, 353.70, 314.88, 414.78: 396.99.
        #expect(Self.value(devon, "plans_per_10k_0_25_statistical_neighbours") == 397.0)
        let source = try #require(devon.figure("plans_per_10k_0_25_la")?.source)
        #expect(source.contains("January 2025") && source.contains("mid-2024") && source.contains("9848 ÷ 223690"))
    }

    @Test func everyNameThePackUsesIsWritten() throws {
        let devon = try Self.devon()
        let names = ["national", "regional", "statistical_neighbours", "la"]
        let expected =
            names.map { "\($0)_timeliness_20w" } + names.map { "\($0)_timeliness_20w_incl_exceptions" }
            + names.map { "request_rate_\($0)" } + names.map { "plans_per_10k_0_25_\($0)" }
        #expect(devon.figures.map(\.name) == expected)
        #expect(devon.missing.isEmpty)
        #expect(devon.notes.isEmpty)
    }

    @Test func anEarlierYearCanBeChosen() throws {
        let devon = try BenchmarkGenerator.generate(
            authority: "Devon", dataDirectory: TestPaths.benchmarkExtract, year: 2021)
        // README: England 2021 excluding exceptions 59.9%; Devon 2021: 332 / 856 = 38.8%.
        #expect(Self.value(devon, "national_timeliness_20w") == 59.9)
        #expect(Self.value(devon, "la_timeliness_20w") == 38.8)
        // caseload 202122 (January 2022) ÷ mid-2021 pop_0_25: Devon 7926 / 216778 = 365.6.
        #expect(devon.figure("plans_per_10k_0_25_la")?.year == "2022")
        #expect(Self.value(devon, "plans_per_10k_0_25_la") == 365.6)
    }

    @Test func aYearTheFilesDoNotHaveIsAnErrorListingTheYearsThereAre() throws {
        let error = try #require(
            throws: Diagnostic.self,
            performing: {
                try BenchmarkGenerator.generate(authority: "878", dataDirectory: TestPaths.benchmarkExtract, year: 2030)
            })
        #expect(error.message.contains("no time_period 2030"))
        #expect(error.hint?.contains("2019, 2020, 2021, 2022, 2023, 2024") == true)
    }
}
