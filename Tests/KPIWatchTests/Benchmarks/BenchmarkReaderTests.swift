import Foundation
import Testing

@testable import KPIWatchBenchmarks
@testable import KPIWatchCore

/// DfE's CSVs are read by column name, with their conventions: a byte order mark, `x`/`z` for missing.
@Suite struct BenchmarkReaderTests {
    @Test func columnsAreFoundByNameWhateverTheirOrder() throws {
        let directory = TemporaryDirectory()
        let file = directory.write(
            "t.csv",
            "\u{FEFF}la_name,breakdown_topic,time_period,plans_issued_den\n"
                + "Devon,All EHC plans issued,2024,1277\nDevon,Sex,2024,600\n")
        let table = try EESTable.read(
            path: file, columns: ["time_period", "plans_issued_den", "la_name"],
            where: ["breakdown_topic": "all ehc plans issued"])
        #expect(table.rows.count == 1)
        #expect(table.rows[0]["time_period"] == "2024")
        #expect(table.rows[0].number("plans_issued_den") == 1277)
        #expect(table.rows[0].number == 2)
    }

    @Test func columnNamesDifferingOnlyInCaseAreMatched() throws {
        let directory = TemporaryDirectory()
        let file = directory.write("t.csv", "PC_plans_issued_20_weeks_ex\n46.4\n")
        let table = try EESTable.read(path: file, columns: ["pc_plans_issued_20_weeks_ex"])
        #expect(table.rows[0].number("pc_plans_issued_20_weeks_ex") == 46.4)
    }

    @Test func dfeSymbolsForMissingValuesAreNoNumber() {
        #expect(OfficialNumber.parse("x") == nil)
        #expect(OfficialNumber.parse("z") == nil)
        #expect(OfficialNumber.parse("c") == nil)
        #expect(OfficialNumber.parse("") == nil)
        #expect(OfficialNumber.parse("1,234") == 1234)
        #expect(OfficialNumber.parse("57.900000000000") == 57.9)
    }

    @Test func aMissingColumnIsAnErrorNamingTheNearest() throws {
        let directory = TemporaryDirectory()
        let file = directory.write("t.csv", "time_period,plans_issued_den\n2024,1\n")
        let error = try #require(
            throws: Diagnostic.self,
            performing: { try EESTable.read(path: file, columns: ["plans_issued_dem"]) })
        #expect(error.message.hasSuffix("has no column 'plans_issued_dem'"))
        #expect(error.hint == "did you mean 'plans_issued_den'?")
    }

    @Test func aDataFolderWithoutTheReleaseNamesEveryMissingFile() throws {
        let directory = TemporaryDirectory()
        let error = try #require(
            throws: Diagnostics.self, performing: { try ReleaseFiles.locate(in: directory.path) })
        let messages = error.items.map(\.message).joined(separator: "\n")
        for name in ["timeliness_20_week.csv", "requests.csv", "caseload.csv", "ons_mye", "statistical_neighbours"] {
            #expect(messages.contains(name))
        }
    }
}
