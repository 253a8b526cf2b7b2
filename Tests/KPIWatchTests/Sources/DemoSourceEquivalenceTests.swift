import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The demo gives the same value for every KPI from its CSV files, its Excel copy (saved by LibreOffice
/// Calc: examples/demo/make_xlsx_copy.py), its SQLite copy and its PostgreSQL copy
/// (examples/demo/make_sql_copies.py makes both).
@Suite struct DemoSourceEquivalenceTests {
    static let asOf = "2026-10-31"

    @Test func demoGivesTheSameValuesFromExcelAsFromCSV() throws {
        let csv = try evaluateProject(TestPaths.repo("examples/demo/kpiwatch.yaml"), asOf: Self.asOf)
        let xlsx = try evaluateProject(TestPaths.repo("examples/demo/kpiwatch.xlsx.yaml"), asOf: Self.asOf)
        #expect(xlsx.datasets.count == 5)
        #expect(xlsx.datasets.allSatisfy { $0.status == .ok && $0.problems.isEmpty })
        #expect(xlsx.datasets.map(\.rowsRead) == csv.datasets.map(\.rowsRead))
        SQLTestSupport.expectSameValues(csv, xlsx)
    }

    @Test func demoGivesTheSameValuesFromSQLiteAsFromCSV() throws {
        let csv = try evaluateProject(TestPaths.repo("examples/demo/kpiwatch.yaml"), asOf: Self.asOf)
        let sqlite = try evaluateProject(TestPaths.repo("examples/demo/kpiwatch.sqlite.yaml"), asOf: Self.asOf)
        #expect(!csv.results.isEmpty)
        #expect(sqlite.datasets.allSatisfy { $0.status == .ok && $0.problems.isEmpty })
        SQLTestSupport.expectSameValues(csv, sqlite)
    }

    @Test(.enabled(if: SQLTestSupport.hasPostgres, "needs KPIWATCH_TEST_POSTGRES_URL (scripts/with-postgres.sh)"))
    func demoGivesTheSameValuesFromPostgresAsFromCSV() throws {
        let sql = try String(contentsOfFile: TestPaths.repo("examples/demo/data/demo.sql"), encoding: .utf8)
        let url = try SQLTestSupport.loadPostgres(sql, schema: "kpiwatch_demo")
        let engine = Engine.standard()
        var environment = ProcessInfo.processInfo.environment
        environment["KPIWATCH_TEST_POSTGRES_URL"] = url
        let project = try engine.load(
            configPath: TestPaths.repo("examples/demo/kpiwatch.postgres.yaml"), environment: environment)
        let postgres = try engine.evaluate(project, asOf: Day(iso: Self.asOf)!)
        let csv = try evaluateProject(TestPaths.repo("examples/demo/kpiwatch.yaml"), asOf: Self.asOf)
        #expect(postgres.datasets.allSatisfy { $0.status == .ok && $0.problems.isEmpty })
        SQLTestSupport.expectSameValues(csv, postgres)
        let plans = engine.explainPlan(project, asOf: Day(iso: Self.asOf)!)
        // Every KPI is computed in the database except the forecast's, whose probabilities only kpiwatch knows.
        let inProcess = plans.flatMap(\.decisions).filter { $0.sql == nil }
        #expect(inProcess.map(\.kpi) == ["expected_breaches_next_4_weeks"], "\(inProcess.map(\.reason))")
        #expect(inProcess.allSatisfy { $0.reason?.contains("breach_probability") == true })
    }
}
