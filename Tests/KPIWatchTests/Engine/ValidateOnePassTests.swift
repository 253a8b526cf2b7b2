import Foundation
import Testing

/// Issue 8, defect 3: one KPI with a broken structure must not hide the type errors of the others.
@Suite struct ValidateOnePassTests {
    /// `b` has an unknown period (structure); `a` a misspelt field, `c` a type mismatch, `d` references the broken
    /// `b` (no second error for that), case alert `e` a misspelt field.
    static let rules = """
        kpis:
          - id: a
            dataset: cases
            date: opend
            period: month
            value: count()
          - id: b
            dataset: cases
            date: opened
            period: fortnight
            value: count()
          - id: c
            dataset: cases
            period: all
            value: count(team > 3)
          - id: d
            value: kpi.b * 2
        case_alerts:
          - id: e
            dataset: cases
            key: id
            where: scroe > 10

        """

    static let expected = [
        "rules.yaml:4:11: error: unknown field 'opend'",
        "rules.yaml:10:13: error: 'period' must be one of month, quarter, year",
        "rules.yaml:15:23: error: '>' needs two numbers",
        "rules.yaml:22:12: error: unknown field 'scroe'",
    ]

    @Test(arguments: ["validate", "check"])
    func everyRuleIsCheckedInOnePass(command: String) throws {
        let fixture = EngineFixture(rules: Self.rules)
        let arguments =
            command == "check"
            ? ["check", "--config", fixture.config, "--as-of", "2024-03-15"]
            : ["validate", "--config", fixture.config]
        let result = try runKPIWatch(arguments)
        #expect(result.status == 3)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        for expected in Self.expected {
            #expect(errors.contains { $0.contains(expected) }, "\(expected) in \(result.stderr)")
        }
        #expect(errors.count == Self.expected.count, "\(result.stderr)")
        #expect(!result.stderr.contains("kpi.b"))
    }
}
