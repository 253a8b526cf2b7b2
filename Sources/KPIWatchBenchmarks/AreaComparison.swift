import KPIWatchCore

/// The four places an authority compares itself with, as the rule pack names them.
package enum ComparisonScope: CaseIterable {
    case national, regional, statisticalNeighbours, authority
}

/// One measure (a rate) computed the same way for England, the authority's region, each of its
/// statistical neighbours and the authority itself, from one year of one release.
package struct Measure {
    /// The benchmark name for each scope.
    package let name: (ComparisonScope) -> String
    /// How the rate is made, named by file and column, e.g.
    /// `100 × plans_issued_20_weeks_ex ÷ plans_issued_den_ex (dfe-2025/timeliness_20_week.csv, 2024)`.
    package let formula: String
    package let year: String
    package let places: Int
    package let national: () -> AreaRate
    package let regional: (EESRow) -> AreaRate
    package let authority: (EESRow) -> AreaRate
}

/// The outcome of computing measures: figures for the file, and what could not be computed.
package struct ComparisonOutcome {
    package var entries: [BenchmarkEntry] = []
    /// Things a reader must know that are not failures (a neighbour that could not be matched).
    package var notes: [String] = []

    package mutating func append(_ other: ComparisonOutcome) {
        entries += other.entries
        notes += other.notes
    }
}

package struct AreaComparison {
    package let release: ReleaseYear
    package let authority: LocalAuthority
    /// The authority's statistical neighbours as the reference file spells them; nil when it has no column.
    package let neighbours: [String]?

    package func compute(_ measure: Measure) -> ComparisonOutcome {
        var outcome = ComparisonOutcome()
        for scope in ComparisonScope.allCases {
            let name = measure.name(scope)
            switch rate(of: measure, for: scope, &outcome.notes) {
            case .rate(let value, let description):
                outcome.entries.append(
                    .figure(
                        BenchmarkFigure(
                            name: name, value: value, places: measure.places, year: measure.year,
                            source: "\(measure.formula), \(description)")))
            case .unavailable(let reason):
                outcome.entries.append(.missing(MissingBenchmark(name: name, reason: reason)))
            }
        }
        return outcome
    }

    private func rate(of measure: Measure, for scope: ComparisonScope, _ notes: inout [String]) -> AreaRate {
        switch scope {
        case .national:
            guard release.national != nil else { return .unavailable("\(release.file) has no National row") }
            return labelled(measure.national(), "England")
        case .regional:
            guard let row = release.region(code: authority.regionCode) else {
                return .unavailable("\(release.file) has no Regional row for \(authority.regionName)")
            }
            return labelled(measure.regional(row), "\(authority.regionName) (\(authority.regionCode))")
        case .authority:
            guard let row = release.authority(authority) else {
                return .unavailable("\(release.file) has no row for \(authority.label) in \(release.timePeriod)")
            }
            return labelled(measure.authority(row), authority.label)
        case .statisticalNeighbours:
            return neighbourMean(measure, &notes)
        }
    }

    /// The mean of the neighbours' own rates, each neighbour counting once whatever its size, as DfE's
    /// LAIT tool and councils' papers quote it; neighbours without a figure are named and left out.
    private func neighbourMean(_ measure: Measure, _ notes: inout [String]) -> AreaRate {
        guard let neighbours else {
            return .unavailable("the statistical-neighbour file has no column for \(authority.name)")
        }
        var rates: [Double] = []
        var left: [String] = []
        for neighbour in neighbours {
            guard let row = release.authority(named: neighbour) else {
                left.append("\(neighbour): not in \(release.file) for \(release.timePeriod)")
                notes.append(
                    "statistical neighbour '\(neighbour)' of \(authority.name) matches no authority in "
                        + "\(release.file) for \(release.timePeriod)")
                continue
            }
            switch measure.authority(row) {
            case .rate(let value, _): rates.append(value)
            case .unavailable(let reason): left.append("\(neighbour): \(reason)")
            }
        }
        guard !rates.isEmpty else {
            return .unavailable(
                "no statistical neighbour of \(authority.name) has a figure (\(left.joined(separator: "; ")))")
        }
        var text =
            "mean of the rates of \(rates.count) of \(authority.name)'s \(neighbours.count) statistical "
            + "neighbours (\(neighbours.joined(separator: ", ")))"
        if !left.isEmpty { text += "; left out: " + left.joined(separator: "; ") }
        return .rate(rates.reduce(0, +) / Double(rates.count), counts: text)
    }

    private func labelled(_ rate: AreaRate, _ area: String) -> AreaRate {
        switch rate {
        case .rate(let value, let counts): return .rate(value, counts: "\(area): \(counts)")
        case .unavailable(let reason): return .unavailable("\(area): \(reason)")
        }
    }
}
