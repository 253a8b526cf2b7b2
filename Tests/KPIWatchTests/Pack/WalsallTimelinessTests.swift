import Foundation
import Testing

/// Walsall's published table (Schools Forum, 9 March 2021, §4.1), rebuilt from case-level rows:
/// plans issued excluding exceptions and those within 20 weeks, March 2020 to January 2021.
@Suite struct WalsallTimelinessTests {
    static let issued = [54, 47, 68, 35, 28, 21, 49, 81, 38, 29, 34]
    static let within = [9, 9, 13, 8, 5, 3, 9, 15, 15, 18, 22]
    /// 100 × within ÷ issued, to one decimal. October is 18.5 (15 of 81): the paper's 18.8 is its own slip.
    static let percents = [16.7, 19.1, 19.1, 22.9, 17.9, 14.3, 18.4, 18.5, 39.5, 62.1, 64.7]
    static let months = [
        "2020-03", "2020-04", "2020-05", "2020-06", "2020-07", "2020-08", "2020-09", "2020-10", "2020-11",
        "2020-12", "2021-01",
    ]

    @Test func monthlyTimelinessMatchesThePublishedTable() throws {
        let evaluation = try evaluateProject(TestPaths.fixture("walsall/kpiwatch.yaml"), asOf: "2021-01-31")
        let series = evaluation.values(of: "timeliness_20w")
        #expect(series.map(\.period) == Self.months)
        #expect(series.map(\.count) == Self.issued)
        #expect(series.map { rounded($0.value) } == Self.percents)
        #expect(series.last?.current == true)
        #expect(series.dropLast().allSatisfy { !$0.current })
    }

    @Test func everyMonthBelowTheNationalAverageIsCritical() throws {
        let evaluation = try evaluateProject(TestPaths.fixture("walsall/kpiwatch.yaml"), asOf: "2021-01-31")
        let states = evaluation.values(of: "timeliness_20w").map(\.state)
        // 59.9% national average: March to November 2020 are below it; December (62.1%) and January (64.7%) are not.
        #expect(states == Array(repeating: .critical, count: 9) + [.ok, .ok])
        #expect(evaluation.alerts.isEmpty)
        #expect(evaluation.exitCode == 0)
    }

    @Test func aCriticalCurrentMonthRaisesOneAlertAndExitsTwo() throws {
        let evaluation = try evaluateProject(TestPaths.fixture("walsall/kpiwatch.yaml"), asOf: "2020-12-31")
        #expect(rounded(evaluation.current("timeliness_20w")?.value) == 62.1)
        let november = try evaluateProject(TestPaths.fixture("walsall/kpiwatch.yaml"), asOf: "2020-11-30")
        #expect(november.current("timeliness_20w")?.state == .critical)
        #expect(november.alerts.count == 1)
        #expect(november.alerts.first?.severity == .critical)
        #expect(november.alerts.first?.message == "39.5% of plans issued within 20 weeks in 2020-11 (38 plans)")
        #expect(november.exitCode == 2)
    }

    @Test func checkCommandPrintsJSONLinesForEveryPeriod() throws {
        let result = try runKPIWatch([
            "check", "--config", TestPaths.fixture("walsall/kpiwatch.yaml"), "--as-of", "2021-01-31", "--format",
            "json",
        ])
        #expect(result.status == 0)
        let objects = result.stdout.split(separator: "\n").map {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 11)
        #expect(objects.allSatisfy { $0?["type"] as? String == "kpi" })
        let last = try #require(objects.last ?? nil)
        #expect(last["period"] as? String == "2021-01")
        #expect(last["current"] as? Bool == true)
        #expect(last["count"] as? Int == 34)
        #expect(last["state"] as? String == "ok")
        #expect((last["group"] as? [String: Any])?.isEmpty == true)
        #expect(rounded(last["value"] as? Double) == 64.7)
    }
}
