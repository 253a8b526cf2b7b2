import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// `forecasts:` in a rule file and `breach_probability` in rules, on the engine fixture's cases
/// (as of 2024-03-15; ages in days from `opened`):
///
///     case  opened      closed      days  exception  team
///     C1    05/01/2024  20/01/2024  15                North
///     C2    10/02/2024  -           34 (open, past the 30-day deadline)
///     C3    15/02/2024  01/03/2024  15    x          South
///     C4    01/03/2024  -           14 (open)        (none)
///     C5    20/12/2023  05/01/2024  16                South
///     C6    29/02/2024  14/03/2024  14                North
///     C7    16/03/2024  -           not yet opened
///
/// C4, aged 14, is forecast from the cases still running after day 14. Leaving out exceptions:
/// C1, C5, C2 (C3 is an exception, C6 stopped on day 14):
///     day 15: at risk 3, 1 stop -> 2/3
///     day 16: at risk 2, 1 stop -> 1/2      P(still open on day 30) = 1/3
@Suite struct ForecastRulesTests {
    static func forecast(_ extra: String = "") -> String {
        """
        forecasts:
          - id: late
            dataset: cases
            start: opened
            end: closed
            deadline_days: 30
            where: exception is null
            min_sample: 1
        \(extra)
        """
    }

    static let rules =
        forecast()
            + """

            case_alerts:
              - id: likely_late
                dataset: cases
                key: id
                where: breach_probability("late") >= 0.3
                message: "{id}: {round(100 * breach_probability(\\"late\\"), 0)}%"
            kpis:
              - id: expected_late
                dataset: cases
                period: snapshot
                value: sum(breach_probability("late"))

            """

    @Test func caseAlertsAndKPIsReadTheProbability() throws {
        let fixture = EngineFixture(rules: Self.rules)
        let evaluation = try fixture.evaluate()
        let alerts = evaluation.alerts.filter { $0.rule == "likely_late" }
        #expect(alerts.map(\.key) == ["C2", "C4"])
        #expect(alerts.map(\.message) == ["C2: 100%", "C4: 33%"])
        let expected = try #require(evaluation.values(of: "expected_late").first?.value)
        #expect(abs(expected - (1 + 1.0 / 3)) < 1e-9)
    }

    @Test func theCommandListsOpenCasesKeyFirst() throws {
        let fixture = EngineFixture(rules: Self.rules)
        let result = try runKPIWatch([
            "forecast", "late", "--cases", "--format", "csv", "--config", fixture.config, "--as-of", "2024-03-15",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout
                == "id,p_breach,age_days,age_weeks,days_to_deadline,stage,basis,sample\r\n"
                + "C4,0.333,14,2,16,opened,stage,3\r\nC2,1,34,4,-4,opened,past_deadline,0\r\n")
    }

    /// `recorded_late: [exception]`: C3's exception (x) may have been entered at any time before it closed
    /// on 01/03/2024. Read on 15/03/2024, a forecast for 20/02/2024 (C3 open, aged 5) does not know it
    /// and lists C3; read on 20/02/2024 it is known. C2, aged 10, and C3 are forecast from C1 and C5
    /// (stops on days 15 and 16, every clock stopped: P = 0).
    @Test func aFieldRecordedLateIsUnknownBeforeTheDataWasRead() throws {
        let rules = Self.rules.replacingOccurrences(
            of: "    where: exception is null\n", with: "    where: exception is null\n    recorded_late: [exception]\n"
        )
        func listed(readOn: String) throws -> String {
            let fixture = EngineFixture(rules: rules, project: "as_of: \(readOn)")
            let result = try runKPIWatch([
                "forecast", "late", "--cases", "--format", "csv", "--config", fixture.config, "--as-of", "2024-02-20",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        let header = "id,p_breach,age_days,age_weeks,days_to_deadline,stage,basis,sample\r\n"
        #expect(
            try listed(readOn: "2024-03-15") == header + "C2,0,10,1,20,opened,stage,2\r\nC3,0,5,0,25,opened,stage,3\r\n"
        )
        #expect(try listed(readOn: "2024-02-20") == header + "C2,0,10,1,20,opened,stage,2\r\n")
    }

    @Test func anUnknownForecastIsNamedWithTheNearestOne() throws {
        let fixture = EngineFixture(rules: Self.rules.replacingOccurrences(of: "(\"late\") >=", with: "(\"lat\") >="))
        let result = try runKPIWatch(["validate", "--config", fixture.config])
        #expect(result.status == 3)
        #expect(result.stderr.contains("unknown forecast 'lat'"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean 'late'?"))
    }

    @Test(arguments: [
        (
            "    start: opened", "    start: team",
            "rules.yaml:4:12: error: 'start' of forecast 'late' must be a date field; 'team' is string"
        ),
        (
            "    end: closed", "    end: clsoed",
            "rules.yaml:5:10: error: 'end' of forecast 'late' names 'clsoed', which is not a field of dataset 'cases'"
        ),
        ("    deadline_days: 30\n", "", "error: forecast 'late' has no 'deadline_days'"),
        (
            "    min_sample: 1", "    min_sample: 1\n    training_window: 3 fortnights",
            "rules.yaml:9:22: error: 'training_window' of forecast 'late' must be a number of months or years"
        ),
        (
            "    min_sample: 1", "    min_sample: 1\n    workload: { scenarios: [{ name: more, requests: 10% }] }",
            "'requests' of scenario 'more' is not valid: '10%'"
        ),
        ("    min_sample: 1", "    min_sample: 1\n    deadline: 30", "rules.yaml:9:5: error:"),
        (
            "    min_sample: 1", "    min_sample: 1\n    recorded_late: [excepton]",
            "rules.yaml:9:21: error: 'recorded_late' of forecast 'late' names 'excepton', which is not a field"
        ),
        (
            "    where: exception is null", "    recorded_late: [exception]",
            "rules.yaml:7:20: error: 'recorded_late' of forecast 'late' has no 'where' to apply to"
        ),
    ])
    func mistakesAreLocatedAndSayWhatIsValid(replacing: String, with: String, expected: String) throws {
        let fixture = EngineFixture(rules: Self.rules.replacingOccurrences(of: replacing, with: with))
        let result = try runKPIWatch(["validate", "--config", fixture.config])
        #expect(result.status == 3)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func theProbabilityNeedsARecordAndALiteralId() throws {
        let threshold = EngineFixture(
            rules: Self.forecast()
                + """
                kpis:
                  - id: k
                    dataset: cases
                    period: all
                    value: count()
                    thresholds: { warning: breach_probability("late") > 0 }

                """)
        let result = try runKPIWatch(["validate", "--config", threshold.config])
        #expect(result.stderr.contains("breach_probability(…) needs a record"), "\(result.stderr)")
        let field = EngineFixture(rules: Self.rules.replacingOccurrences(of: "(\"late\") >=", with: "(team) >="))
        let second = try runKPIWatch(["validate", "--config", field.config])
        #expect(second.stderr.contains("breach_probability needs a forecast id written as text"), "\(second.stderr)")
    }
}
