import KPIWatchCore

/// ONS mid-year population estimates by area and single year of age (`mid_year`, `area_code`,
/// `area_name`, `pop_0_24`, `pop_0_25`…), the denominators of request and plan rates.
package struct PopulationEstimates: Sendable {
    package let file: String
    package let table: EESTable

    package static let columns = ["mid_year", "area_code", "area_name", "pop_0_24", "pop_0_25"]

    package static func read(path: String, label: String) throws -> PopulationEstimates {
        PopulationEstimates(file: label, table: try EESTable.read(path: path, label: label, columns: columns))
    }

    package var midYears: [Int] { Set(table.rows.compactMap { Int($0["mid_year"]) }).sorted() }

    /// The mid-year that goes with data of `year`: that one, or the latest earlier one when ONS has not
    /// published it yet (the note says so).
    package func midYear(for year: Int) -> (year: Int, note: String?)? {
        let years = midYears
        if years.contains(year) { return (year, nil) }
        guard let earlier = years.last(where: { $0 < year }) else { return nil }
        return (earlier, "mid-\(year) population not in \(file); mid-\(earlier) used")
    }

    /// The area's population by its code, else by its name among areas of the same kind of code
    /// (codes change when councils are reorganised: Somerset E10000027 became E06000066).
    package func population(_ column: String, midYear: Int, code: String, name: String) -> Double? {
        let rows = table.rows.filter { $0["mid_year"] == String(midYear) }
        if let row = rows.first(where: { $0["area_code"] == code }) { return row.number(column) }
        let key = AuthorityName.key(name)
        let named = rows.filter { AuthorityName.key($0["area_name"]) == key && isUpperTier($0["area_code"]) }
        guard named.count == 1 else { return nil }
        return named[0].number(column)
    }

    /// Councils that run education: unitary authorities (E06), metropolitan districts (E08), London
    /// boroughs (E09) and counties (E10), not shire districts (E07) that may share a county's name.
    private func isUpperTier(_ code: String) -> Bool {
        ["E06", "E08", "E09", "E10"].contains(String(code.prefix(3)))
    }
}
