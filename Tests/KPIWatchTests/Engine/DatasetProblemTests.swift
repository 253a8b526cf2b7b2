import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// Stale extracts and bad rows: reported, never silently evaluated (exit 3).
@Suite struct DatasetProblemTests {
    static let rules = "kpis:\n" + monthlyCount("m")

    func setModified(_ fixture: EngineFixture, _ iso: String) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/London")!
        let day = Day(iso: String(iso.prefix(10)))!
        let hour = Int(iso.dropFirst(11).prefix(2)) ?? 0
        let date = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour))!
        try FileManager.default.setAttributes(
            [.modificationDate: date],
            ofItemAtPath: (fixture.directory.path as NSString).appendingPathComponent("cases.csv"))
    }

    @Test func anExtractOlderThanMaxAgeIsStaleAndNotEvaluated() throws {
        let fixture = EngineFixture(rules: Self.rules, dataset: "    max_age: 3d")
        try setModified(fixture, "2024-03-10T09")
        let evaluation = try fixture.evaluate()
        #expect(evaluation.datasets.first?.status == .stale)
        #expect(evaluation.values(of: "m").allSatisfy { $0.state == .stale && $0.value == nil })
        #expect(evaluation.exitCode == 3)
        #expect(evaluation.datasets.first?.problems.first?.description.contains("is stale") == true)
    }

    @Test func aFreshExtractIsEvaluated() throws {
        let fixture = EngineFixture(rules: Self.rules, dataset: "    max_age: 3d")
        try setModified(fixture, "2024-03-14T18")
        let evaluation = try fixture.evaluate()
        #expect(evaluation.datasets.first?.status == .ok)
        #expect(evaluation.current("m")?.value == 1)
    }

    @Test func extractedAtFieldGivesTheAgeInsteadOfTheFileTime() throws {
        let csv = "id,team,opened,closed,score,exception,extracted\nC1,North,05/03/2024,,1,,01/03/2024\n"
        let rules = Self.rules
        let fixture = EngineFixture(
            rules: rules, dataset: "    max_age: 7d\n    extracted_at: extracted",
            csv: csv)
        let config = try String(contentsOfFile: fixture.config, encoding: .utf8)
            .replacingOccurrences(
                of: "      exception: exception\n",
                with: "      exception: exception\n      extracted: { column: extracted, type: date }\n")
        try config.write(toFile: fixture.config, atomically: true, encoding: .utf8)
        // Extracted 1 March, evaluated as of 15 March: 14 days old, past 7 days, whatever the file's time says.
        #expect(try fixture.evaluate().datasets.first?.status == .stale)
        #expect(try fixture.evaluate(asOf: "2024-03-05").datasets.first?.status == .ok)
    }

    @Test func badValuesAreReportedWithFileRowAndColumnAndStopTheDataset() throws {
        let csv = EngineFixture.cases + "C8,North,31/02/2024,,1,\nC9,North,01/02/2024,,lots,\n"
        let fixture = EngineFixture(rules: Self.rules, csv: csv)
        let evaluation = try fixture.evaluate()
        let dataset = try #require(evaluation.datasets.first)
        #expect(dataset.status == .error)
        #expect(dataset.errorCount == 2)
        // The header is row 1, C1 row 2 … C7 row 8, C8 row 9, C9 row 10.
        #expect(dataset.problems[0].description.contains("cases.csv, row 9, column \"opened\""))
        #expect(dataset.problems[0].description.contains("\"31/02/2024\" is not a date"))
        #expect(dataset.problems[1].description.contains("row 10, column \"score\""))
        // Typed until printed: the row and column themselves, not only a line of text.
        guard case .badValue(let first) = dataset.problems[0] else {
            Issue.record("not a bad value: \(dataset.problems[0])")
            return
        }
        #expect(first.row == 9 && first.column == "opened")
        #expect(evaluation.values(of: "m").allSatisfy { $0.state == .error })
        #expect(evaluation.exitCode == 3)
    }

    @Test func skippingBadRowsEvaluatesTheRestAndSaysHowManyWereLeftOut() throws {
        let csv = EngineFixture.cases + "C8,North,32/03/2024,,1,\nC9,North,14/03/2024,,1,\n"
        let fixture = EngineFixture(rules: Self.rules, dataset: "    on_bad_rows: skip", csv: csv)
        let evaluation = try fixture.evaluate()
        let dataset = try #require(evaluation.datasets.first)
        #expect(dataset.status == .ok)
        #expect(dataset.rowsSkipped == 1)
        #expect(dataset.problems.contains { $0.description.contains("row 9, column \"opened\"") })
        #expect(dataset.problems.last?.description.contains("1 rows with bad values were skipped") == true)
        // March: C4 and C9; C8 was left out.
        #expect(evaluation.current("m")?.value == 2)
        #expect(evaluation.exitCode == 0)
    }
}
