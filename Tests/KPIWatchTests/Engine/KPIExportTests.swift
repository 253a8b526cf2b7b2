import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchEngine

/// `check --format csv|openmetrics` and the `file` sink's `kpi_csv`/`openmetrics` formats, on a small project whose
/// team names are hostile: a formula, a quote, a backslash, a comma.
@Suite struct KPIExportTests {
    static let project = """
        version: 1
        as_of: 2024-03-31
        rules: [rules.yaml]
        benchmarks: [benchmarks.yaml]
        datasets:
          plans:
            source: csv
            path: plans.csv
            fields:
              case_id: { column: "Case Ref", key: true }
              team: "Team"
              issued: { column: "Issued", type: date }
        """

    static let rules = """
        kpis:
          - id: plans_issued
            title: Plans "issued"
            dataset: plans
            date: issued
            period: month
            history: 2
            value: count()
            group_by: [team]
            unit: count
            thresholds: { warning: value < benchmark.plans_target }
          - id: plans_short_of_target
            title: Plans short of target
            value: kpi.plans_issued - benchmark.plans_target
            unit: number
        """

    /// March 2024: two plans for `=HYPERLINK("x")`, one for `North "Q" \\ 1, 2`; February: none.
    static let data = """
        Case Ref,Team,Issued
        P1,"=HYPERLINK(""x"")",2024-03-05
        P2,"=HYPERLINK(""x"")",2024-03-06
        P3,"North ""Q"" \\ 1, 2",2024-03-07
        """

    func folder(sinks: String = "") -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        folder.write("kpiwatch.yaml", Self.project + sinks)
        folder.write("rules.yaml", Self.rules)
        folder.write("benchmarks.yaml", "benchmarks:\n  plans_target: { value: 5, year: 2024, source: test }\n")
        folder.write("plans.csv", Self.data)
        return folder
    }

    @Test func csvHasOneRowPerKPIValueWithPeriodDatesThresholdsAndBenchmarksGuardedAgainstFormulas() throws {
        let dir = folder(sinks: "\nsinks:\n  - type: stdout\n")
        let result = try runKPIWatch(["check", "--format", "csv", "--dry-run"], directory: dir.path)
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stdout.components(separatedBy: "\r\n")
        #expect(
            lines == [
                "kpi,title,period,period_start,period_end,current,group,team,value,count,state,unit,threshold,"
                    + "warning_when,critical_when,benchmark.plans_target",
                // The overall value counts every record, so a month with none is 0; a group has no value (and no count) there.
                "plans_issued,\"Plans \"\"issued\"\"\",2024-02,2024-02-01,2024-02-29,false,All,,0,0,warning,count,"
                    + "value < benchmark.plans_target,value < benchmark.plans_target,,5",
                "plans_issued,\"Plans \"\"issued\"\"\",2024-03,2024-03-01,2024-03-31,true,All,,3,3,warning,count,"
                    + "value < benchmark.plans_target,value < benchmark.plans_target,,5",
                // A cell a spreadsheet would run as a formula is written as text: `'=…`.
                "plans_issued,\"Plans \"\"issued\"\"\",2024-02,2024-02-01,2024-02-29,false,"
                    + "\"team==HYPERLINK(\"\"x\"\")\",\"'=HYPERLINK(\"\"x\"\")\",,,no_data,count,,"
                    + "value < benchmark.plans_target,,5",
                "plans_issued,\"Plans \"\"issued\"\"\",2024-03,2024-03-01,2024-03-31,true,"
                    + "\"team==HYPERLINK(\"\"x\"\")\",\"'=HYPERLINK(\"\"x\"\")\",2,2,warning,count,"
                    + "value < benchmark.plans_target,value < benchmark.plans_target,,5",
                "plans_issued,\"Plans \"\"issued\"\"\",2024-02,2024-02-01,2024-02-29,false,"
                    + "\"team=North \"\"Q\"\" \\ 1, 2\",\"North \"\"Q\"\" \\ 1, 2\",,,no_data,count,,"
                    + "value < benchmark.plans_target,,5",
                "plans_issued,\"Plans \"\"issued\"\"\",2024-03,2024-03-01,2024-03-31,true,"
                    + "\"team=North \"\"Q\"\" \\ 1, 2\",\"North \"\"Q\"\" \\ 1, 2\",1,1,warning,count,"
                    + "value < benchmark.plans_target,value < benchmark.plans_target,,5",
                // A negative number is a number, not a formula: no guard.
                "plans_short_of_target,Plans short of target,2024-02,2024-02-01,2024-02-29,false,All,,-5,,ok,number,"
                    + ",,,",
                "plans_short_of_target,Plans short of target,2024-03,2024-03-01,2024-03-31,true,All,,-2,,ok,number,"
                    + ",,,",
                "",
            ])
        // The stdout sink's alerts go to standard error, so standard output is the export alone.
        #expect(result.stderr.contains("[plans_issued] "))
    }

    @Test func openMetricsHasAGaugeFamilyPerKPIAndTheStatesApartWithLabelValuesEscaped() throws {
        let dir = folder()
        let result = try runKPIWatch(["check", "--format", "openmetrics", "--dry-run"], directory: dir.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stdout == """
                # HELP kpiwatch_plans_issued Plans 'issued' (count)
                # TYPE kpiwatch_plans_issued gauge
                kpiwatch_plans_issued{kpi="plans_issued",period="2024-02",current="false"} 0
                kpiwatch_plans_issued{kpi="plans_issued",period="2024-03",current="true"} 3
                kpiwatch_plans_issued{kpi="plans_issued",period="2024-03",current="true",team="=HYPERLINK(\\"x\\")"} 2
                kpiwatch_plans_issued{kpi="plans_issued",period="2024-03",current="true",team="North \\"Q\\" \\\\ 1, 2"} 1
                # HELP kpiwatch_plans_short_of_target Plans short of target (number)
                # TYPE kpiwatch_plans_short_of_target gauge
                kpiwatch_plans_short_of_target{kpi="plans_short_of_target",period="2024-02",current="false"} -5
                kpiwatch_plans_short_of_target{kpi="plans_short_of_target",period="2024-03",current="true"} -2
                # HELP kpiwatch_kpi_state The state of each KPI value: 1 for its state (ok, warning, critical, no_data, suppressed, stale, error).
                # TYPE kpiwatch_kpi_state gauge
                kpiwatch_kpi_state{kpi="plans_issued",period="2024-02",current="false",state="warning"} 1
                kpiwatch_kpi_state{kpi="plans_issued",period="2024-03",current="true",state="warning"} 1
                kpiwatch_kpi_state{kpi="plans_issued",period="2024-02",current="false",team="=HYPERLINK(\\"x\\")",state="no_data"} 1
                kpiwatch_kpi_state{kpi="plans_issued",period="2024-03",current="true",team="=HYPERLINK(\\"x\\")",state="warning"} 1
                kpiwatch_kpi_state{kpi="plans_issued",period="2024-02",current="false",team="North \\"Q\\" \\\\ 1, 2",state="no_data"} 1
                kpiwatch_kpi_state{kpi="plans_issued",period="2024-03",current="true",team="North \\"Q\\" \\\\ 1, 2",state="warning"} 1
                kpiwatch_kpi_state{kpi="plans_short_of_target",period="2024-02",current="false",state="ok"} 1
                kpiwatch_kpi_state{kpi="plans_short_of_target",period="2024-03",current="true",state="ok"} 1
                # EOF

                """)
    }

    @Test(
        .enabled(
            if: PromTool.path != nil,
            "promtool is not installed (apt-get install -y prometheus): the OpenMetrics export is not validated"))
    func hostileLabelValuesPassPromtool() throws {
        let dir = folder()
        let result = try runKPIWatch(["check", "--format", "openmetrics", "--dry-run"], directory: dir.path)
        try PromTool.check(result.stdout)
    }

    @Test func fileSinksWriteTheExportsWholeOnEveryRunBesideTheAlertFormats() throws {
        let dir = folder(
            sinks: """

                state: state.sqlite
                sinks:
                  - { type: file, path: out/kpis.prom, format: openmetrics }
                  - { type: file, path: out/kpis.csv, format: kpi_csv }
                  - { type: file, path: out/alerts.jsonl }
                """)
        // In process, through the check use case: what the command would print for --format openmetrics.
        let config = dir.path + "/kpiwatch.yaml"
        let dry = CheckRun.run(CheckRequest(configPath: config, dryRun: true), engine: .standard())
        let expected = KPIExport.openmetrics.render(try #require(dry.evaluation), project: try #require(dry.project))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out/kpis.prom"), "a dry run writes nothing")
        for _ in 0..<2 {
            let outcome = CheckRun.run(CheckRequest(configPath: config), engine: .standard())
            #expect(outcome.exitCode == 1, "\(outcome.problems)")
        }
        // Replaced whole on each run, not appended to.
        #expect(try String(contentsOfFile: dir.path + "/out/kpis.prom", encoding: .utf8) == expected)
        let csv = try String(contentsOfFile: dir.path + "/out/kpis.csv", encoding: .utf8)
        #expect(csv.components(separatedBy: "\r\n").count == 10)
        let alerts = try String(contentsOfFile: dir.path + "/out/alerts.jsonl", encoding: .utf8)
        #expect(alerts.split(separator: "\n").count == 3)
    }

    @Test func anExportThatCannotBeWrittenExitsThree() throws {
        let dir = folder(
            sinks: """

                state: state.sqlite
                sinks:
                  - { type: file, path: blocked/kpis.prom, format: openmetrics }
                """)
        dir.write("blocked", "a file where the folder should be")
        let outcome = CheckRun.run(CheckRequest(configPath: dir.path + "/kpiwatch.yaml"), engine: .standard())
        #expect(outcome.exitCode == 3)
        #expect(outcome.problems.contains { $0.description.contains("cannot write the openmetrics export to") })
    }

    @Test func familyNamesAvoidWhatPrometheusReadsAsUnitsAndKeepTheIdInALabel() {
        #expect(OpenMetrics.familyName("ep_advice_days_median") == "kpiwatch_ep_advice_day_median")
        #expect(OpenMetrics.familyName("reviews_due_next_4_weeks") == "kpiwatch_reviews_due_next_4_week")
        #expect(OpenMetrics.familyName("requests_12m") == "kpiwatch_requests_12m")
        #expect(OpenMetrics.familyName("plans_count") == "kpiwatch_plans_count_value")
        #expect(OpenMetrics.familyName("wait_d") == "kpiwatch_wait_dx")
    }

    @Test(
        .enabled(
            if: PromTool.path != nil,
            "promtool is not installed (apt-get install -y prometheus): the OpenMetrics export is not validated"))
    func theDemosOpenMetricsPassPromtool() throws {
        // In a copy: in examples/demo itself the dry run read the state store a README run had left there, and
        // failed (exit 3, nothing printed) once a later version had changed the store's schema.
        let folder = try DemoOutputTests.demoCopy()
        let result = try runKPIWatch(["check", "--format", "openmetrics", "--dry-run"], directory: folder.path)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("# EOF\n"))
        #expect(result.stdout.contains("kpiwatch_ep_advice_day_median{kpi=\"ep_advice_days_median\""))
        try PromTool.check(result.stdout)
    }
}

/// `promtool check metrics` (Debian's `prometheus` package; `.ci/run` installs it): the format check and
/// Prometheus' own lint. The tests that need it are skipped, saying so, when it is absent.
enum PromTool {
    static let path = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func check(_ text: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool check metrics: \(said)")
        #expect(!text.isEmpty)
    }
}
