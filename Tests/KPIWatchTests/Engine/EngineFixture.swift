import Foundation

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// A small project written to a temporary folder: one `cases` dataset and the rules a test gives.
///
/// As of 2024-03-15 the rows are (opened by month): Dec 2023 C5; Jan C1; Feb C2, C3, C6; Mar C4;
/// C7 is opened on 16 March, after the as-of date, so no dated period counts it.
struct EngineFixture {
    static let cases = """
        id,team,opened,closed,score,exception
        C1,North,05/01/2024,20/01/2024,10,
        C2,North,10/02/2024,,20,
        C3,South,15/02/2024,01/03/2024,30,x
        C4,,01/03/2024,,40,
        C5,South,20/12/2023,05/01/2024,50,
        C6,North,29/02/2024,14/03/2024,,
        C7,South,16/03/2024,,70,

        """

    let directory = TemporaryDirectory()

    var config: String { (directory.path as NSString).appendingPathComponent("kpiwatch.yaml") }

    init(rules: String, dataset extra: String = "", project extra2: String = "", csv: String = EngineFixture.cases) {
        directory.write("cases.csv", csv)
        directory.write("rules.yaml", rules)
        directory.write(
            "benchmarks.yaml",
            """
            benchmarks:
              national: { value: 59.9, year: 2021, source: test }
              target_date: { value: 2024-06-30, source: test }

            """)
        directory.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules.yaml]
            benchmarks: [benchmarks.yaml]
            \(extra2)
            datasets:
              cases:
                source: csv
                path: cases.csv
                date_format: dd/MM/yyyy
            \(extra)
                fields:
                  id: { column: id, key: true }
                  team: team
                  opened: { column: opened, type: date }
                  closed: { column: closed, type: date }
                  score: { column: score, type: number }
                  exception: exception
            sinks:
              - type: file
                path: out/alerts.jsonl

            """)
    }

    func evaluate(asOf: String = "2024-03-15", only: [String]? = nil) throws -> Evaluation {
        try evaluateProject(config, asOf: asOf, only: only)
    }

    /// `kpiwatch check` in process, through the library's use case.
    func run(asOf: String = "2024-03-15", dryRun: Bool = false) -> CheckOutcome {
        CheckRun.run(CheckRequest(configPath: config, asOf: Day(iso: asOf)!, dryRun: dryRun), engine: .standard())
    }

    func check(_ arguments: [String] = [], asOf: String = "2024-03-15") throws -> CommandResult {
        try runKPIWatch(["check", "--config", config, "--as-of", asOf] + arguments)
    }
}

/// A KPI counting cases by the month they were opened, with extra YAML lines.
func monthlyCount(_ id: String, history: Int = 3, _ extra: String = "") -> String {
    """
      - id: \(id)
        title: \(id)
        dataset: cases
        date: opened
        period: month
        history: \(history)
        value: count()
    \(extra)

    """
}
