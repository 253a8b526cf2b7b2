import KPIWatchCore

/// EHC plans maintained per 10,000 people aged 0–25: DfE's January count (`caseload.csv` `ehcplans`,
/// total rows "All EHC plans") ÷ the ONS 0–25 population of the mid-year before it × 10,000.
/// `time_period` 202425 is the count of January 2025, set against mid-2024.
package enum PlansPerPopulationBenchmarks {
    package static let fileName = "caseload.csv"
    package static let filters = ["breakdown_topic": "All EHC plans"]
    package static let numerator = "ehcplans"
    package static let columns = GeographicLevel.columns + [numerator]
    package static let populationColumn = "pop_0_25"

    /// `--year 2024` is the January 2025 count, `202425`.
    package static func name(_ scope: ComparisonScope) -> String {
        switch scope {
        case .national: "plans_per_10k_0_25_national"
        case .regional: "plans_per_10k_0_25_regional"
        case .statisticalNeighbours: "plans_per_10k_0_25_statistical_neighbours"
        case .authority: "plans_per_10k_0_25_la"
        }
    }

    package static func period(forYear year: Int) -> String {
        let next = (year + 1) % 100
        return "\(year)\(next < 10 ? "0" : "")\(next)"
    }

    /// The mid-year Y of a `time_period` Y(Y+1).
    package static func year(ofPeriod period: String) -> Int? { Int(period.prefix(4)) }

    package static func measure(
        _ release: ReleaseYear, fileLabel: String, population estimates: PopulationEstimates
    ) -> Result<Measure, MissingPopulation> {
        guard let year = year(ofPeriod: release.timePeriod), let mid = estimates.midYear(for: year) else {
            return .failure(MissingPopulation(file: estimates.file, year: release.timePeriod))
        }
        let population = PopulationDenominator(
            estimates: estimates, column: populationColumn, midYear: mid.year, release: release)
        let rate = { (row: EESRow, outcome: PopulationDenominator.Outcome) in
            population.rate(row.number(numerator), numeratorName: numerator, outcome, scale: 10_000)
        }
        let january = year + 1
        var formula =
            "EHC plans per 10,000 aged 0-25, 10000 × \(numerator) in January \(january) (\(fileLabel), "
            + "time_period \(release.timePeriod)) ÷ ONS \(populationColumn) mid-\(mid.year) (\(estimates.file))"
        if let note = mid.note { formula += " [\(note)]" }
        return .success(
            Measure(
                name: name,
                formula: formula, year: String(january), places: 1,
                national: {
                    guard let row = release.national else { return .unavailable("no National row") }
                    return rate(row, population.national())
                },
                regional: { rate($0, population.region($0)) },
                authority: { rate($0, population.authority($0)) }))
    }
}
