import KPIWatchCore

/// The rows of one `time_period` of a DfE table: England, its regions and its authorities.
package struct ReleaseYear: Sendable {
    package let file: String
    package let timePeriod: String
    package let national: EESRow?
    package let regions: [EESRow]
    package let authorities: [EESRow]

    package init(table: EESTable, timePeriod: String) {
        file = table.file
        self.timePeriod = timePeriod
        let rows = table.rows.filter { $0["time_period"] == timePeriod }
        national = rows.first { GeographicLevel($0) == .national }
        regions = rows.filter { GeographicLevel($0) == .regional }
        authorities = rows.filter { GeographicLevel($0) == .localAuthority }
    }

    /// The latest `time_period` in the table (`2024`, or `202425` for the caseload), or the one for `year`.
    ///
    /// - Throws: `Diagnostic` listing the years the file has when it has none, or not the one asked for.
    package static func choose(in table: EESTable, year: Int?, period: (Int) -> String) throws -> ReleaseYear {
        let periods = Set(table.rows.map { $0["time_period"] }.filter { !$0.isEmpty }).sorted()
        guard let latest = periods.last else {
            throw Diagnostic(
                "\(table.file) has no rows to read", place: table.file,
                hint: "expected DfE's total rows with a time_period such as 2024")
        }
        guard let year else { return ReleaseYear(table: table, timePeriod: latest) }
        let wanted = period(year)
        guard periods.contains(wanted) else {
            throw Diagnostic(
                "\(table.file) has no time_period \(wanted) (for --year \(year))", place: table.file,
                hint: "it has " + periods.joined(separator: ", "))
        }
        return ReleaseYear(table: table, timePeriod: wanted)
    }

    package func region(code: String) -> EESRow? { regions.first { $0["region_code"] == code } }

    /// The authority by its ONS code, else by name: codes change when councils are reorganised.
    package func authority(_ wanted: LocalAuthority) -> EESRow? {
        authorities.first { $0["new_la_code"] == wanted.newCode }
            ?? authorities.first { $0["old_la_code"] == wanted.oldCode }
            ?? authority(named: wanted.name)
    }

    package func authority(named name: String) -> EESRow? {
        let key = AuthorityName.key(name)
        return authorities.first { AuthorityName.key($0["la_name"]) == key }
    }

    package func authorities(inRegion code: String) -> [EESRow] { authorities.filter { $0["region_code"] == code } }
}
