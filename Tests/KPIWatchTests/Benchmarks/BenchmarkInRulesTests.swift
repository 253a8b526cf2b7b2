import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Benchmarks as rules use them beyond a single number: a message naming a benchmark's year
/// (`{benchmark.NAME.year}`), and a list of codes tested with `x in [benchmark.NAME]`.
@Suite struct BenchmarkInRulesTests {
    static let benchmarks = """
        benchmarks:
          england: { value: 46.4, year: 2024, source: "DfE" }
          no_year: { value: 70, source: "local" }
          allowed: { value: [closed_setting, personal, "1"], source: "reg. 13(3)" }
        """

    /// Five plans: reasons "closed_setting", "PERSONAL " (case and spaces differ), "1" (SEN2 week20), "0" and
    /// "missed appointment".
    static let csv = """
        id,reason
        P1,closed_setting
        P2,PERSONAL 
        P3,1
        P4,0
        P5,missed appointment
        P6,

        """

    static let rules = """
        kpis:
          - id: excepted
            dataset: plans
            where: lower(trim(reason)) in [benchmark.allowed]
            period: all
            value: count()
            thresholds: { warning: value > 0 }
            message: "{value} excepted (England {benchmark.england} in {benchmark.england.year}; local {benchmark.no_year}, {benchmark.no_year.year})"
          - id: not_excepted
            dataset: plans
            period: all
            value: count(reason not in [benchmark.allowed, "0"])
        """

    func project(
        _ folder: TemporaryDirectory, rules: String = rules, source: [String] = ["source: csv", "path: plans.csv"]
    )
        -> String
    {
        folder.write("plans.csv", Self.csv)
        folder.write("benchmarks.yaml", Self.benchmarks)
        folder.write("rules.yaml", rules)
        let lines =
            ["version: 1", "rules: [rules.yaml]", "benchmarks: [benchmarks.yaml]", "datasets:", "  plans:"]
            + source.map { "    " + $0 }
            + [
                "    fields:", "      id: { column: \"id\", type: string, key: true }", "      reason: \"reason\"",
                "sinks: [{ type: stdout }]",
            ]
        return folder.write("kpiwatch.yaml", lines.joined(separator: "\n") + "\n")
    }

    @Test func aListBenchmarkIsSplicedIntoTheList() throws {
        let folder = TemporaryDirectory()
        let evaluation = try evaluateProject(project(folder), asOf: "2024-06-30")
        // P1, P2 (lower-cased and trimmed) and P3 ("1") are in the list; "0", the missed appointment and blank are not.
        let excepted = try #require(evaluation.current("excepted"))
        #expect(excepted.value == 3)
        #expect(excepted.count == 3)
        // Without lower/trim "PERSONAL " does not match; "0" was added beside the list; blank is null (never in a list).
        #expect(evaluation.current("not_excepted")?.value == 2)
    }

    @Test func aMessageNamesTheBenchmarksYear() throws {
        let folder = TemporaryDirectory()
        let evaluation = try evaluateProject(project(folder), asOf: "2024-06-30")
        #expect(
            evaluation.alerts.first { $0.rule == "excepted" }?.message
                == "3 excepted (England 46.40 in 2024; local 70, year not given)")
    }

    @Test func aListUsedAsAValueIsAnErrorAtItsPlace() throws {
        let folder = TemporaryDirectory()
        let rules = """
            kpis:
              - { id: wrong, dataset: plans, period: all, value: 'count(reason == benchmark.allowed)' }
            """
        let path = project(folder, rules: rules)
        #expect {
            try Engine.standard().load(configPath: path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("rules.yaml:2:") && text.contains("is a list of codes")
                && text.contains("x in [benchmark.allowed]")
        }
    }

    @Test func aListItemThatIsNotTextIsAnError() throws {
        let folder = TemporaryDirectory()
        let path = project(folder)
        folder.write("benchmarks.yaml", "benchmarks:\n  allowed: { value: [a, [b, c]] }\n")
        #expect {
            try Engine.standard().load(configPath: path)
        } throws: { error in
            "\(error)".contains("benchmarks.yaml:2:") && "\(error)".contains("must be a text code")
        }
    }

    @Test func sqlitePushesTheListDownAndAgrees() throws {
        let folder = TemporaryDirectory()
        let csvEvaluation = try evaluateProject(project(folder), asOf: "2024-06-30")
        let rows = Self.csv.split(separator: "\n").dropFirst().map { line -> String in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            let reason = cells[1].isEmpty ? "NULL" : "'\(cells[1])'"
            return "('\(cells[0])', \(reason))"
        }
        try SQLTestSupport.makeSQLite(
            at: folder.path + "/plans.sqlite",
            sql: "CREATE TABLE plans (\"id\" TEXT, \"reason\" TEXT); INSERT INTO plans VALUES "
                + rows.joined(separator: ", ") + ";")
        let sqlitePath = project(
            folder, source: ["source: sqlite", "path: plans.sqlite", "query: SELECT * FROM plans"])
        let engine = Engine.standard()
        let loaded = try engine.load(configPath: sqlitePath)
        let plans = engine.explainPlan(loaded, asOf: Day(iso: "2024-06-30")!)
        #expect(plans.allSatisfy { $0.decisions.allSatisfy { $0.sql != nil } })
        let sqlite = try engine.evaluate(loaded, asOf: Day(iso: "2024-06-30")!)
        SQLTestSupport.expectSameValues(csvEvaluation, sqlite)
        #expect(sqlite.current("excepted")?.value == 3)
    }
}
