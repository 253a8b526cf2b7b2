import KPIWatchCore

/// New EHC plans issued within 20 weeks, including and excluding exceptions, from DfE's
/// `timeliness_20_week.csv` (calendar years; total rows are "All EHC plans issued").
package enum TimelinessBenchmarks {
    package static let fileName = "timeliness_20_week.csv"
    package static let filters = ["breakdown_topic": "All EHC plans issued"]
    package static let columns =
        GeographicLevel.columns + [
            "plans_issued_den", "plans_issued_within_20_weeks", "plans_issued_den_ex", "plans_issued_20_weeks_ex",
        ]

    package static func period(forYear year: Int) -> String { String(year) }

    package static func measures(_ release: ReleaseYear, fileLabel: String) -> [Measure] {
        [
            measure(
                release, fileLabel: fileLabel, numerator: "plans_issued_20_weeks_ex",
                denominator: "plans_issued_den_ex", what: "excluding exceptions", suffix: ""),
            measure(
                release, fileLabel: fileLabel, numerator: "plans_issued_within_20_weeks",
                denominator: "plans_issued_den", what: "including exceptions", suffix: "_incl_exceptions"),
        ]
    }

    private static func measure(
        _ release: ReleaseYear, fileLabel: String, numerator: String, denominator: String, what: String,
        suffix: String
    ) -> Measure {
        let rate = { (row: EESRow) in
            AreaRate.ratio(row.number(numerator), row.number(denominator), scale: 100, what: (numerator, denominator))
        }
        return Measure(
            name: { scope in
                switch scope {
                case .national: "national_timeliness_20w" + suffix
                case .regional: "regional_timeliness_20w" + suffix
                case .statisticalNeighbours: "statistical_neighbours_timeliness_20w" + suffix
                case .authority: "la_timeliness_20w" + suffix
                }
            },
            formula:
                "new EHC plans issued within 20 weeks \(what), 100 × \(numerator) ÷ \(denominator) "
                + "(\(fileLabel), calendar year \(release.timePeriod))",
            year: release.timePeriod, places: 1,
            national: { release.national.map(rate) ?? .unavailable("no National row") },
            regional: rate, authority: rate)
    }
}
