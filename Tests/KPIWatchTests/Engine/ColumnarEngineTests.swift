import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The whole standard pack (and rules/send_extra) on the demo, once with the columnar evaluator deciding every
/// `where` it covers and once with today's row-at-a-time evaluator deciding all of them: every value (bit for
/// bit), count and state of every period and group, and every alert, must be the same.
@Suite struct ColumnarEngineTests {
    @Test func theDemoGivesTheSameResultsWithTheColumnarEvaluatorAsRowByRow() throws {
        let path = TestPaths.repo("examples/demo/kpiwatch.yaml")
        let asOf = Day(iso: "2026-10-31")!
        let columnar = Engine.standard()
        var rowByRow = Engine.standard()
        rowByRow.columnarConditions = false
        let a = try columnar.evaluate(try columnar.load(configPath: path), asOf: asOf)
        let b = try rowByRow.evaluate(try rowByRow.load(configPath: path), asOf: asOf)
        #expect(a.results.count > 1_000)
        #expect(a.results.count == b.results.count)
        for (x, y) in zip(a.results, b.results) {
            let name = "\(x.id) \(x.period) \(x.groupDictionary)"
            #expect(x.id == y.id && x.period == y.period && x.groupDictionary == y.groupDictionary, "\(name)")
            #expect(
                x.value?.bitPattern == y.value?.bitPattern,
                "\(name): \(String(describing: x.value)) vs \(String(describing: y.value))")
            #expect(x.count == y.count, "\(name): count")
            #expect(x.state == y.state, "\(name): state")
        }
        #expect(!a.alerts.isEmpty)
        #expect(a.alerts.map(Self.describe) == b.alerts.map(Self.describe))
        #expect(a.datasets.map(\.rowsRead) == b.datasets.map(\.rowsRead))
    }

    @Test func explainPlanNamesEachKPIsPathAndWhyAFallbackWasTaken() throws {
        let engine = Engine.standard()
        let project = try engine.load(configPath: TestPaths.repo("examples/demo/kpiwatch.yaml"))
        let plans = engine.explainPlan(project, asOf: Day(iso: "2026-10-31")!)
        let how = plans.reduce(into: [String: String]()) { $0.merge($1.inProcess) { first, _ in first } }
        #expect(how["timeliness_20w_rolling_12m"] == "columnar: counted per base period, periods added up from them")
        #expect(
            how["open_assessments"] == "columnar: snapshots from each record's run of as-of dates (difference arrays)")
        #expect(
            how["ep_advice_days_median"] == "columnar: folded record by record into each period, from column batches")
        #expect(
            how["expected_breaches_next_4_weeks"]
                == "folded row by row: the argument of 'sum(breach_probability(\"time_to_plan\"))' is outside the columnar evaluator's typed form"
        )
        let text = plans.map(\.text).joined(separator: "\n")
        #expect(
            text.contains("  open_assessments: in process: source 'csv' is read row by row\n    columnar: snapshots"))
    }

    @Test func aSnapshotWhoseWhereHasNoRunOfAsOfDatesSaysWhy() throws {
        let fixture = EngineFixture(
            rules: """
                kpis:
                  - id: not_opened_on
                    dataset: cases
                    where: opened != as_of
                    period: snapshot
                    history: 3
                    value: count()
                  - id: median_score
                    dataset: cases
                    where: opened <= as_of
                    period: snapshot
                    history: 3
                    value: median(score)

                """)
        let how = try Self.inProcessPlans(fixture)
        #expect(
            how["not_opened_on"]
                == "where decided per snapshot over column batches, then row by row: in its where, as_of is compared with '!=', which holds over two runs"
        )
        #expect(
            how["median_score"]
                == "where decided per snapshot over column batches, then row by row: its aggregates are not all counts and percents, which each snapshot's records must give"
        )
    }

    @Test func aFunctionOnlyTheRowEvaluatorComputesIsNamedNotCalledOutsideTheTypedForm() throws {
        let fixture = EngineFixture(
            rules: """
                kpis:
                  - id: opened_in_2024
                    dataset: cases
                    where: year(opened) == 2024
                    date: opened
                    period: month
                    value: count()
                  - id: mean_score_rounded
                    dataset: cases
                    date: opened
                    period: month
                    value: avg(round(score))

                """)
        let how = try Self.inProcessPlans(fixture)
        #expect(
            how["opened_in_2024"]
                == "folded row by row: its where 'year(opened) == 2024' calls year(…), which the columnar evaluator does not compute"
        )
        #expect(
            how["mean_score_rounded"]
                == "folded row by row: the argument of 'avg(round(score))' calls round(…), which the columnar evaluator does not compute"
        )
    }

    /// `--explain-plan`'s in-process verdicts for the fixture's one dataset, by KPI id.
    static func inProcessPlans(_ fixture: EngineFixture) throws -> [String: String] {
        let engine = Engine.standard()
        let plans = engine.explainPlan(try engine.load(configPath: fixture.config), asOf: Day(iso: "2024-03-15")!)
        return try #require(plans.first).inProcess
    }

    static func describe(_ alert: Alert) -> String {
        "\(alert.rule)|\(alert.severity)|\(alert.key ?? "")|\(alert.group.sorted { $0.key < $1.key })|"
            + "\(alert.labels.sorted { $0.key < $1.key })|\(alert.message)"
    }
}
