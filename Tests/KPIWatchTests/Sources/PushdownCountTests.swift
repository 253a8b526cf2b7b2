import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// Counts a database returns for a pushed-down KPI are checked like every other number: a count went
/// through Double and back (`Int(Double(n))`), which traps for a count near Int.max.
@Suite struct PushdownCountTests {
    /// A `count()` KPI planned against a one-row SQLite table, and the plan's row shape.
    static func plannedCount() throws -> (kpi: CompiledKPI, plan: PushdownPlan, calendar: PeriodCalendar) {
        let directory = TemporaryDirectory()
        try SQLTestSupport.makeSQLite(
            at: directory.path + "/cases.sqlite",
            sql: "CREATE TABLE cases (\"Case\" TEXT); INSERT INTO cases VALUES ('C1');")
        directory.write("rules.yaml", "kpis:\n  - { id: n, dataset: cases, period: all, value: 'count()' }\n")
        let config = directory.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules.yaml]
            datasets:
              cases:
                source: sqlite
                path: cases.sqlite
                query: SELECT * FROM cases;
                fields:
                  case_id: "Case"
            """)
        let asOf = Day(iso: "2024-03-15")!
        let engine = Engine.standard()
        let project = try engine.load(configPath: config)
        let calendar = PeriodCalendar(asOf: asOf, yearStart: project.config.yearStart)
        let dataset = try #require(project.config.datasets.first)
        let source = try #require(
            try engine.sources.makeSource(for: dataset, in: project.config) as? any AggregatingSource)
        let request = PushdownRequest(
            dataset: dataset, calendar: calendar, benchmarks: [:], kpis: project.compiled.kpis)
        let session = try #require(try source.planPushdown(request) as? SQLPushdownSession)
        let plan = try #require(session.plans.first ?? nil, "\(session.decisions.first?.reason ?? "")")
        let kpi = try #require(project.compiled.kpis.first)
        return (kpi, plan, calendar)
    }

    /// One overall row for period 0 whose every count is `count`.
    static func row(_ count: Cell, _ plan: PushdownPlan) -> PushdownRow {
        let width = 3 + plan.groupTypes.count + plan.outputs.reduce(0) { $0 + $1.columnCount }
        return [.int(0), .int(0)] + Array(repeating: count, count: width - 2)
    }

    @Test func aCountThatIsNoWholeNumberInRangeIsAnErrorNotATrap() throws {
        let (kpi, plan, calendar) = try Self.plannedCount()
        for count: Cell in [.number(1e19), .number(-.infinity), .text("many"), .int(-1)] {
            #expect(throws: SQLSourceError.self, "\(count)") {
                _ = try SQLPushdownSession.buckets(kpi, plan, [Self.row(count, plan)], calendar: calendar)
            }
        }
        // Int.max went through Double (2^63, one past it) and back: a trap, now read exactly.
        for count in [7, Int.max] {
            let read = try SQLPushdownSession.buckets(kpi, plan, [Self.row(.int(count), plan)], calendar: calendar)
            #expect(read.first?.records == count)
        }
    }

    @Test func countsAreReadExactly() throws {
        #expect(try SQLPushdownSession.count(.int(Int.max)) == Int.max)
        #expect(try SQLPushdownSession.count(.text("12")) == 12)
        #expect(try SQLPushdownSession.count(.missing) == 0)
    }

    /// Every output used to convert its first cell as a count, a maximum or a sum included: `max(days)`
    /// of Int.max trapped although it is no count at all.
    @Test func aMaximumOfIntMaxIsReadAsAValue() throws {
        let directory = TemporaryDirectory()
        try SQLTestSupport.makeSQLite(
            at: directory.path + "/cases.sqlite",
            sql: "CREATE TABLE cases (\"Case\" TEXT, \"Days\" BIGINT); INSERT INTO cases VALUES ('C1', \(Int.max));")
        directory.write("rules.yaml", "kpis:\n  - { id: longest, dataset: cases, period: all, value: 'max(days)' }\n")
        let config = directory.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules.yaml]
            datasets:
              cases:
                source: sqlite
                path: cases.sqlite
                query: SELECT * FROM cases;
                fields:
                  case_id: "Case"
                  days: { column: "Days", type: int }
            """)
        let result = try runKPIWatch(["check", "--config", config, "--as-of", "2024-03-15", "--format", "json"])
        #expect(result.status != 3, "\(result.stderr)")
        #expect(!result.stderr.contains("evaluated in process instead"), "\(result.stderr)")
        #expect(HostileProject.value(of: "longest", in: result) as? Double == Double(Int.max), "\(result.stdout)")
    }
}
