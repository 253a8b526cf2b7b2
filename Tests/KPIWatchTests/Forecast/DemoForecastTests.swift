import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The standard pack's forecast over the demo service as of 31 October 2026, against expected.py's own
/// computation of the same landmark Kaplan–Meier estimate (examples/demo/expected.json).
@Suite struct DemoForecastTests {
    static let project = TestPaths.repo("examples/demo/kpiwatch.yaml")
    static let asOf = Day(iso: "2026-10-31")!

    static func expectedValue(_ key: String) -> Any? {
        let data = FileManager.default.contents(atPath: TestPaths.repo("examples/demo/expected.json")) ?? Data()
        let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        return (root?["values"] as? [String: [String: Any]])?[key]?["value"]
    }

    @Test func everyOpenCaseHasTheProbabilityExpectedPyWorksOut() throws {
        let engine = Engine.standard()
        let project = try engine.load(configPath: Self.project, includingSinks: false)
        let model = try ForecastRun(engine: engine, project: project, id: "time_to_plan").model(asOf: Self.asOf)
        let estimates = model.estimator(asOf: Self.asOf).estimates(for: model.cases)
        let expected = try #require(Self.expectedValue("breach_probability_time_to_plan") as? [String: Any])
        #expect(estimates.count == expected.count)
        #expect(estimates.count > 300)
        for estimate in estimates {
            let want = (expected[estimate.key] as? NSNumber)?.doubleValue
            #expect(want != nil, "\(estimate.key) is not open in expected.json")
            if let want, let got = estimate.pBreach {
                #expect(abs(want - got) < 1e-12, "\(estimate.key): \(got) vs \(want)")
            }
        }
        // Most are forecast from their team's own curve at their stage; the demo has enough history for that.
        #expect(estimates.filter { $0.basis == .groupAndStage }.count > estimates.count / 2)
    }

    @Test func theDailyCheckRaisesTheForecastAlertsAndKPI() throws {
        let evaluation = try evaluateProject(Self.project, asOf: "2026-10-31")
        let alerted = evaluation.alerts.filter { $0.rule == "likely_to_breach_20_weeks" }.compactMap(\.key)
        let byRule = try #require(Self.expectedValue("case_alerts_by_rule") as? [String: [String]])
        #expect(alerted.sorted() == byRule["likely_to_breach_20_weeks"])
        #expect(!alerted.isEmpty)
        let sum = try #require(evaluation.values(of: "expected_breaches_next_4_weeks").first?.value)
        let want = try #require((Self.expectedValue("expected_breaches_next_4_weeks") as? NSNumber)?.doubleValue)
        #expect(abs(sum - want) < 1e-9)
    }

    @Test func theCaseListShowsNoPersonalField() throws {
        let result = try runKPIWatch([
            "forecast", "time_to_plan", "--cases", "--format", "csv", "--config", Self.project,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\r\n")
        #expect(lines.first == "case_id,p_breach,age_days,age_weeks,days_to_deadline,stage,team,basis,sample")
        #expect(lines.count == 354)
        // The demo's children's names are invented words; none may leave through this list.
        let data = try String(contentsOfFile: TestPaths.repo("examples/demo/data/assessments.csv"), encoding: .utf8)
        let names = data.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").dropFirst(2).first }
        #expect(names.count > 3000)
        for name in names.prefix(200) { #expect(!result.stdout.contains(name)) }
    }

    /// The 55 cases due in the next 4 weeks: their probabilities' exact Poisson-binomial distribution puts
    /// 90% of the breach count between 20 and 26 (worked out apart from kpiwatch from `explain --format
    /// csv`'s probabilities, by the same recurrence as ExpectedCountTests). The list's text form, the
    /// KPI's explanation and its JSON say so; the KPI's value is the sum the interval is around.
    @Test func theExpectedBreachesComeWithTheirInterval() throws {
        let listed = try runKPIWatch(["forecast", "time_to_plan", "--cases", "--config", Self.project])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(
            listed.stdout.hasSuffix(
                "\n\nDue in the next 28 days: 55 open cases, 23.2 expected to miss the deadline (90% interval 20 to 26, if the cases are independent)\n"
            ))
        let explained = try runKPIWatch([
            "explain", "expected_breaches_next_4_weeks", "--config", Self.project,
        ])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(
            explained.stdout.contains("value 23.18 (ok), 55 records; 90% interval 20 to 26 of the 55 cases breaching"))
        let json = try runKPIWatch([
            "explain", "expected_breaches_next_4_weeks", "--format", "json", "--config", Self.project,
        ])
        #expect(json.stdout.contains("\"interval\":{\"level\":0.9,\"low\":20,\"high\":26,\"cases\":55,"))
        // A KPI whose value is no sum of probabilities has no interval.
        let other = try runKPIWatch(["explain", "requests_per_month", "--format", "json", "--config", Self.project])
        #expect(other.status == 0, "\(other.stderr)")
        #expect(!other.stdout.contains("\"interval\""))
    }

    @Test func theSameSeedGivesTheSameWorkloadProjection() throws {
        let arguments = ["forecast", "time_to_plan", "--workload", "--format", "csv", "--config", Self.project]
        let first = try runKPIWatch(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("month,measure,p10,p50,p90\r\n2026-11,requests,"))
        #expect(first.stdout.split(separator: "\r\n").count == 1 + 6 * 4)
        #expect(try runKPIWatch(arguments).stdout == first.stdout)
        let more = try runKPIWatch(arguments + ["--scenario", "requests_up_10"])
        #expect(more.stdout != first.stdout)
    }
}
