import KPIWatchCore

/// The ONS population of the areas of one release year: England's row (or the sum of its authorities
/// when the file has none), a region as the sum of the authorities DfE places in it, an authority by
/// its code or name.
package struct PopulationDenominator {
    package let estimates: PopulationEstimates
    /// `pop_0_24` or `pop_0_25`.
    package let column: String
    package let midYear: Int
    package let release: ReleaseYear

    package enum Outcome {
        case population(Double, how: String)
        case missing(String)
    }

    package func national() -> Outcome {
        if let code = release.national?["country_code"], !code.isEmpty,
            let england = estimates.population(column, midYear: midYear, code: code, name: "")
        {
            return .population(england, how: "England row \(code)")
        }
        return sum(release.authorities, what: "all \(release.authorities.count) authorities")
    }

    package func region(_ row: EESRow) -> Outcome {
        let members = release.authorities(inRegion: row["region_code"])
        return sum(members, what: "its \(members.count) authorities")
    }

    package func authority(_ row: EESRow) -> Outcome {
        guard let population = population(of: row) else {
            return .missing("no ONS \(column) for \(row["la_name"]) (\(row["new_la_code"])) mid-\(midYear)")
        }
        return .population(population, how: "")
    }

    private func population(of row: EESRow) -> Double? {
        estimates.population(column, midYear: midYear, code: row["new_la_code"], name: row["la_name"])
    }

    private func sum(_ rows: [EESRow], what: String) -> Outcome {
        guard !rows.isEmpty else { return .missing("no authorities to add up") }
        var total = 0.0
        var unmatched: [String] = []
        for row in rows {
            if let population = population(of: row) { total += population } else { unmatched.append(row["la_name"]) }
        }
        guard unmatched.isEmpty else {
            return .missing(
                "no ONS \(column) mid-\(midYear) for " + unmatched.joined(separator: ", ")
                    + ", so the population cannot be added up")
        }
        return .population(total, how: "sum of \(what)")
    }

    /// `scale × numerator ÷ population`, saying how the population was made when it was added up.
    package func rate(_ numerator: Double?, numeratorName: String, _ outcome: Outcome, scale: Double) -> AreaRate {
        switch outcome {
        case .missing(let reason): return .unavailable(reason)
        case .population(let population, let how):
            let rate = AreaRate.ratio(numerator, population, scale: scale, what: (numeratorName, column))
            guard case .rate(let value, let counts) = rate, !how.isEmpty else { return rate }
            return .rate(value, counts: "\(counts) (population: \(how))")
        }
    }
}
