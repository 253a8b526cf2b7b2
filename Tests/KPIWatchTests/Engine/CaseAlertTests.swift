import Foundation
import Testing

/// Case alerts: one alert per matching record, keyed, with templated labels and messages.
@Suite struct CaseAlertTests {
    static let rules = """
        case_alerts:
          - id: open_long
            title: Open more than 20 days
            dataset: cases
            key: id
            where: closed is null and days_between(opened, as_of) > 20
            severity: critical
            labels: { team: "{team}" }
            message: "Case {id} ({team}) has been open {days_between(opened, as_of)} days"

        """

    @Test func raisesOneAlertPerMatchingRecord() throws {
        let evaluation = try EngineFixture(rules: Self.rules).evaluate()
        // C2 opened 10 February: 34 days by 15 March. C4 (14 days) is too recent; C7 opens after the as-of date.
        #expect(evaluation.alerts.map(\.key) == ["C2"])
        let alert = try #require(evaluation.alerts.first)
        #expect(alert.severity == .critical)
        #expect(alert.labels == ["team": "North"])
        #expect(alert.group.isEmpty)
        #expect(alert.message == "Case C2 (North) has been open 34 days")
        #expect(evaluation.exitCode == 2)
    }

    @Test func personalFieldsCannotBePutInAMessage() throws {
        let fixture = EngineFixture(
            rules: Self.rules.replacingOccurrences(of: "Case {id}", with: "Case {child}"))
        let config = try String(contentsOfFile: fixture.config, encoding: .utf8)
            .replacingOccurrences(
                of: "      exception: exception\n",
                with: "      exception: exception\n      child: { column: team, personal: true }\n")
        try config.write(toFile: fixture.config, atomically: true, encoding: .utf8)
        #expect {
            _ = try fixture.evaluate()
        } throws: { error in
            "\(error)".contains("rules.yaml:9:21") && "\(error)".contains("personal field")
        }
    }

    @Test func onlyEvaluatesTheNamedRulesAndRejectsUnknownIds() throws {
        let rules = Self.rules + "kpis:\n" + monthlyCount("m") + monthlyCount("n")
        let fixture = EngineFixture(rules: rules)
        let evaluation = try fixture.evaluate(only: ["n"])
        #expect(Set(evaluation.results.map(\.id)) == ["n"])
        #expect(evaluation.alerts.isEmpty)
        #expect {
            _ = try fixture.evaluate(only: ["nn", "open_lng"])
        } throws: { error in
            "\(error)".contains("'open_lng'") && "\(error)".contains("did you mean 'open_long'?")
        }
    }
}
