import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// Pushed-down KPIs must equal the in-process evaluation of the same data, on SQLite and PostgreSQL.
@Suite struct SQLPushdownTests {
    /// Rows chosen for edge cases: null and padded teams, a `null_values` team, month ends, dates
    /// after the as-of date, nulls in numbers, zero scores.
    static let data = """
        CREATE TABLE cases ("Case" TEXT, "Team" TEXT, "Opened" DATE, "Closed" DATE, "Days" BIGINT,
            "Score" DOUBLE PRECISION, "Urgent" BOOLEAN);
        INSERT INTO cases VALUES
        ('C01', 'North', '2023-03-31', '2023-04-20', 20, 1.5, TRUE),
        ('C02', ' North ', '2023-07-15', NULL, 3, 0.0, FALSE),
        ('C03', 'South', '2023-11-30', '2024-01-31', 62, 2.25, FALSE),
        ('C04', NULL, '2024-01-31', '2024-02-29', NULL, NULL, NULL),
        ('C05', 'N/A', '2024-02-29', '2024-03-30', 30, 7.0, TRUE),
        ('C06', '', '2024-03-01', NULL, 8, -1.25, FALSE),
        ('C07', 'South', '2024-03-31', '2024-03-31', 0, 4.75, TRUE),
        ('C08', 'East', '2024-04-06', '2024-05-06', 30, 10.0, FALSE),
        ('C09', 'North', '2024-05-12', NULL, 5, NULL, TRUE),
        ('C10', 'South', '2024-05-31', '2024-06-30', 31, 3.0, FALSE),
        ('C11', 'North', '2024-06-15', '2024-06-16', 1, 2.5, FALSE),
        ('C12', 'East', '2024-06-30', NULL, NULL, 8.5, NULL),
        ('C13', 'North', '2024-07-02', NULL, 2, 1.0, TRUE),
        ('C14', 'West', '2022-12-31', '2023-01-01', 400, 0.5, FALSE),
        ('C15', 'South', '2024-02-10', '2024-01-10', 9, 6.0, TRUE);
        """

    static let rules = """
        kpis:
          - { id: opened_monthly, dataset: cases, date: opened, period: month, history: 6, value: 'count()', group_by: [team] }
          - id: closed_within_30
            dataset: cases
            where: closed is not null
            date: closed
            period: quarter
            history: 4
            value: percent(days_between(opened, closed) <= 30)
            group_by: [team]
          - { id: day_sums, dataset: cases, date: opened, period: year_to_date, history: 2, value: 'sum(days)' }
          - { id: day_avg, dataset: cases, date: opened, period: year, history: 2, value: 'avg(days)' }
          - { id: day_range, dataset: cases, period: all, value: 'max(days) - min(days) + min(score)' }
          - { id: distinct_days, dataset: cases, period: all, value: 'count_distinct(days)', group_by: [team] }
          - { id: distinct_teams, dataset: cases, period: all, value: 'count_distinct(team)' }
          - { id: score_ratio, dataset: cases, date: opened, period: rolling_12_months, history: 3, value: 'sum(score) / count(score is not null)' }
          - { id: divide_by_zero, dataset: cases, period: all, value: 'count(urgent) / count(score > 100)' }
          - { id: real_division, dataset: cases, period: all, value: 'sum(days / 7)' }
          - { id: not_over_5, dataset: cases, period: all, value: 'count(not (days > 5))' }
          - { id: not_north, dataset: cases, period: all, value: 'count(not (team == "North"))', group_by: [team] }
          - { id: in_lists, dataset: cases, period: all, value: '100 * count(team in ["North", "South"]) + count(team not in ["North"])' }
          - { id: three_valued, dataset: cases, period: all, value: 'count(urgent or days > 10) + 100 * count(not (urgent and days > 10))' }
          - { id: null_tests, dataset: cases, period: all, value: 'count(closed is null) + 100 * count(score is not null)' }
          - { id: coalesced, dataset: cases, period: all, value: 'sum(coalesce(score, days, 0))' }
          - { id: months, dataset: cases, period: all, value: 'sum(months_between(opened, coalesce(closed, as_of))) + 1000 * sum(age(opened, as_of))' }
          - { id: months_back, dataset: cases, period: all, value: 'sum(months_between(coalesce(closed, as_of), opened))' }
          - { id: weeks, dataset: cases, period: all, value: 'sum(weeks_between(closed, opened)) + 1000 * sum(weeks_between(opened, closed))' }
          - { id: clamped_months, dataset: cases, period: all, value: 'count(add_months(opened, 1) <= date("2024-02-29")) + 100 * count(add_months(opened, -1) >= date("2024-01-31"))' }
          - { id: moved_days, dataset: cases, period: all, value: 'count(add_days(opened, 30) > closed) + 100 * count(add_weeks(opened, 2) < as_of)' }
          - id: open_snapshot
            dataset: cases
            where: opened <= as_of and (closed is null or closed > as_of)
            period: snapshot
            history: 4
            value: count()
            group_by: [team]
          - { id: cumulative, dataset: cases, date: opened, period: month, cumulative: true, history: 4, value: 'count()' }
          - { id: date_span, dataset: cases, period: all, value: 'days_between(min(opened), max(closed))' }
          - { id: text_functions, dataset: cases, period: all, value: 'count(lower(trim(team)) == "north") + 100 * count(upper(team) == "SOUTH")' }
          - { id: text_order, dataset: cases, period: all, value: 'count(team < "South") + 100 * count(contains(team, "ort")) + 1000 * count(starts_with(team, "So"))' }
          - { id: calendar_parts, dataset: cases, period: all, value: 'count(year(opened) == 2024 and month(opened) >= 2) + 100 * count(is_weekend(opened)) + 1000 * count(start_of_month(opened) == opened) + 10000 * count(end_of_month(opened) == opened)' }
          - { id: conditional, dataset: cases, period: all, value: 'sum(if(urgent, abs(days), 0)) + sum(-score)' }
          - { id: median_days, dataset: cases, period: all, value: 'median(days)', group_by: [team] }
          - { id: percentile_score, dataset: cases, period: all, value: 'percentile(score, 90)' }
          - { id: rounded, dataset: cases, period: all, value: 'sum(round(score * 1.005, 1))' }
          - { id: benchmark_filter, dataset: cases, period: all, value: 'count(days > benchmark.slow)' }
        """

    static func project(in directory: TemporaryDirectory, source: String, pushdown: Bool) -> String {
        let fields = """
                null_values: ["", "N/A"]
                pushdown: \(pushdown)
                fields:
                  case_id: "Case"
                  team: "Team"
                  opened: { column: "Opened", type: date }
                  closed: { column: "Closed", type: date }
                  days: { column: "Days", type: int }
                  score: { column: "Score", type: number }
                  urgent: { column: "Urgent", type: bool }
            """
        directory.write("rules.yaml", rules)
        directory.write("benchmarks.yaml", "benchmarks:\n  slow: { value: 25 }\n")
        return directory.write(
            "kpiwatch-\(pushdown).yaml",
            """
            version: 1
            rules: [rules.yaml]
            benchmarks: [benchmarks.yaml]
            datasets:
              cases:
            \(source)
            \(fields)
            """)
    }

    static let sqliteSource = """
            source: sqlite
            path: cases.sqlite
            query: SELECT * FROM cases;
        """

    @Test func pushdownEqualsInProcessOnSQLite() throws {
        let directory = TemporaryDirectory()
        try SQLTestSupport.makeSQLite(at: directory.path + "/cases.sqlite", sql: Self.data)
        let pushed = Self.project(in: directory, source: Self.sqliteSource, pushdown: true)
        let streamed = Self.project(in: directory, source: Self.sqliteSource, pushdown: false)
        for asOf in ["2024-06-30", "2024-05-15", "2024-02-29"] {
            let a = try evaluateProject(pushed, asOf: asOf)
            let b = try evaluateProject(streamed, asOf: asOf)
            #expect(a.datasets.allSatisfy { $0.status == .ok && $0.problems.isEmpty })
            SQLTestSupport.expectSameValues(a, b)
        }
        let check = try evaluateProject(pushed, asOf: "2024-06-30")
        #expect(check.current("opened_monthly", group: ["team": "North"])?.value == 1)
        #expect(check.current("divide_by_zero")?.value == nil)
        #expect(check.current("real_division")?.value.map { rounded($0, 4) } == rounded(601.0 / 7, 4))
    }

    @Test func explainPlanShowsSQLAndTheReasonsForInProcessKPIsOnSQLite() throws {
        let directory = TemporaryDirectory()
        try SQLTestSupport.makeSQLite(at: directory.path + "/cases.sqlite", sql: Self.data)
        let path = Self.project(in: directory, source: Self.sqliteSource, pushdown: true)
        let engine = Engine.standard()
        let plans = engine.explainPlan(try engine.load(configPath: path), asOf: Day(iso: "2024-06-30")!)
        let decisions = Dictionary(uniqueKeysWithValues: plans[0].decisions.map { ($0.kpi, $0) })
        #expect(decisions["median_days"]?.reason == "median is evaluated in process on SQLite")
        #expect(decisions["percentile_score"]?.reason == "percentile is evaluated in process on SQLite")
        #expect(decisions["rounded"]?.reason?.contains("round on SQLite") == true)
        #expect(decisions["opened_monthly"]?.sql?.contains("GROUP BY p_idx, g0") == true)
        #expect(decisions["clamped_months"]?.sql != nil)
        let pushedCount = decisions.values.filter { $0.sql != nil }.count
        #expect(pushedCount == decisions.count - 3)

        let result = try runKPIWatch(["check", "--config", path, "--as-of", "2024-06-30", "--explain-plan"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("dataset cases (cases.sqlite)"))
        #expect(result.stdout.contains("opened_monthly: pushed down"))
        #expect(result.stdout.contains("median_days: in process: median is evaluated in process on SQLite"))

        let off = Self.project(in: directory, source: Self.sqliteSource, pushdown: false)
        let offPlans = engine.explainPlan(try engine.load(configPath: off), asOf: Day(iso: "2024-06-30")!)
        #expect(offPlans[0].decisions.allSatisfy { $0.reason == "pushdown: false is set on the dataset" })
    }

    @Test func valuesThatDoNotDecodeAreReadInProcessAndReported() throws {
        let directory = TemporaryDirectory()
        try SQLTestSupport.makeSQLite(
            at: directory.path + "/cases.sqlite",
            sql: Self.data + "\nINSERT INTO cases VALUES ('C99', 'North', '2024-01-05', NULL, 'many', 1.0, 0);")
        let path = Self.project(in: directory, source: Self.sqliteSource, pushdown: true)
        let engine = Engine.standard()
        let plans = engine.explainPlan(try engine.load(configPath: path), asOf: Day(iso: "2024-06-30")!)
        #expect(
            plans[0].decisions.allSatisfy { $0.reason?.contains("field 'days' has 1 values that are not int") == true })
        let evaluation = try evaluateProject(path, asOf: "2024-06-30")
        #expect(evaluation.datasets[0].status == .error)
        #expect(evaluation.datasets[0].problems.contains { $0.description.contains("\"many\" is not a whole number") })
    }

    @Test(.enabled(if: SQLTestSupport.hasPostgres, "needs KPIWATCH_TEST_POSTGRES_URL (scripts/with-postgres.sh)"))
    func pushdownEqualsInProcessOnPostgres() throws {
        let url = try SQLTestSupport.loadPostgres(Self.data, schema: "pushdown_cases")
        let directory = TemporaryDirectory()
        let source = """
                source: postgres
                url: ${env:KPIWATCH_CASES_URL}
                query: SELECT * FROM cases
            """
        setenv("KPIWATCH_CASES_URL", url, 1)
        let pushed = Self.project(in: directory, source: source, pushdown: true)
        let streamed = Self.project(in: directory, source: source, pushdown: false)
        for asOf in ["2024-06-30", "2024-05-15", "2024-02-29"] {
            let a = try evaluateProject(pushed, asOf: asOf)
            let b = try evaluateProject(streamed, asOf: asOf)
            #expect(a.datasets.allSatisfy { $0.status == .ok && $0.problems.isEmpty }, "\(a.datasets)")
            SQLTestSupport.expectSameValues(a, b)
        }
        let engine = Engine.standard()
        let plans = engine.explainPlan(try engine.load(configPath: pushed), asOf: Day(iso: "2024-06-30")!)
        #expect(plans[0].origin == "postgres 127.0.0.1/postgres")
        let inProcess = plans[0].decisions.filter { $0.sql == nil }
        #expect(inProcess.isEmpty, "\(inProcess.map { "\($0.kpi): \($0.reason ?? "")" })")
    }

    @Test func postgresCredentialsNeverAppearInOriginsOrErrors() throws {
        let source = PostgresSource(
            url: "postgresql://alice:s3cretpass@127.0.0.1:1/payroll?connect_timeout=2", query: "SELECT 1")
        #expect(source.origin == "postgres 127.0.0.1/payroll")
        #expect(throws: (any Error).self) { try source.columnNames() }
        do {
            _ = try source.columnNames()
        } catch {
            let text = "\(error)"
            #expect(text.contains("postgres 127.0.0.1/payroll"))
            #expect(!text.contains("s3cretpass") && !text.contains("alice"))
        }

        let directory = TemporaryDirectory()
        directory.write("rules.yaml", "kpis:\n  - { id: n, dataset: cases, period: all, value: count() }\n")
        let path = directory.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules.yaml]
            datasets:
              cases:
                source: postgres
                url: ${env:KPIWATCH_SECRET_URL}
                query: SELECT * FROM cases
                fields: { case_id: "Case" }
            """)
        let secret = ["KPIWATCH_SECRET_URL": "postgresql://alice:s3cretpass@127.0.0.1:1/payroll?connect_timeout=2"]
        for arguments in [["check", "--config", path], ["check", "--config", path, "--explain-plan"]] {
            let result = try runKPIWatch(arguments, environment: secret)
            let output = result.stdout + result.stderr
            #expect(output.contains("127.0.0.1/payroll"), "\(output)")
            #expect(!output.contains("s3cretpass") && !output.contains("alice"), "\(output)")
        }
    }
}
