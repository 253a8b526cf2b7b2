import KPIWatchCore

/// Requests for an EHC needs assessment received in a calendar year as a percentage of the ONS 0–24
/// population of that mid-year, from DfE's `requests.csv` (total rows: "All requests for EHC needs
/// assessments").
package enum RequestRateBenchmarks {
    package static let fileName = "requests.csv"
    package static let filters = ["breakdown_topic": "All requests for EHC needs assessments"]
    package static let numerator = "requests_received_in_year"
    package static let columns = GeographicLevel.columns + [numerator]
    package static let populationColumn = "pop_0_24"

    package static func name(_ scope: ComparisonScope) -> String {
        switch scope {
        case .national: "request_rate_national"
        case .regional: "request_rate_regional"
        case .statisticalNeighbours: "request_rate_statistical_neighbours"
        case .authority: "request_rate_la"
        }
    }

    package static func period(forYear year: Int) -> String { String(year) }

    /// nil, with the reason, when ONS has no population for the year or any before it.
    package static func measure(
        _ release: ReleaseYear, fileLabel: String, population estimates: PopulationEstimates
    ) -> Result<Measure, MissingPopulation> {
        guard let year = Int(release.timePeriod), let mid = estimates.midYear(for: year) else {
            return .failure(MissingPopulation(file: estimates.file, year: release.timePeriod))
        }
        let population = PopulationDenominator(
            estimates: estimates, column: populationColumn, midYear: mid.year, release: release)
        let rate = { (row: EESRow, outcome: PopulationDenominator.Outcome) in
            population.rate(row.number(numerator), numeratorName: numerator, outcome, scale: 100)
        }
        var formula =
            "EHC needs assessment requests as % of the 0-24 population, 100 × \(numerator) (\(fileLabel), "
            + "calendar year \(release.timePeriod)) ÷ ONS \(populationColumn) mid-\(mid.year) (\(estimates.file))"
        if let note = mid.note { formula += " [\(note)]" }
        return .success(
            Measure(
                name: name,
                formula: formula, year: release.timePeriod, places: 2,
                national: {
                    guard let row = release.national else { return .unavailable("no National row") }
                    return rate(row, population.national())
                },
                regional: { rate($0, population.region($0)) },
                authority: { rate($0, population.authority($0)) }))
    }
}

/// ONS has no population for a year the DfE release covers, nor any year before it.
package struct MissingPopulation: Error {
    package let file: String
    package let year: String

    package var reason: String { "\(file) has no mid-year population for \(year) or any earlier year" }
}
