import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Numbers in alert messages: an amount reads with thousands separators whatever produced it (an int or a number, a
/// field, arithmetic, a function, `{count}`, `plural`), as `{value}` does; a year or an identifier reads as written.
@Suite struct MessageNumberTests {
    /// A KPI over `EngineFixture`'s cases (snapshot: all 7) and a case alert on C1 (opened 05/01/2024, closed
    /// 20/01/2024, score 10), each message with the numbers under test.
    static let rules = """
        kpis:
          - id: all_cases
            title: All cases
            dataset: cases
            period: snapshot
            value: count()
            unit: count
            thresholds:
              warning: value >= 0
            message: "{count * 0 + 12345} int, {12345 / 1} number, {value * 1000} value, {count} count, {plural(count * 0 + 12345, 'case')}, {year(as_of)}, {year(as_of) - 1}"
        case_alerts:
          - id: scored
            title: Scored
            dataset: cases
            key: id
            where: id == "C1"
            severity: warning
            labels: { points: "{floor(score * 1000 + 2345)}" }
            message: "{floor(score * 1000 + 2345)} int, {score * 1000 + 2345} number, {plural(floor(score * 1000 + 2345), 'point')}; opened {year(opened)}, reviewed {year(opened) + 1}, closed {coalesce(year(closed), year(as_of))}, {if(closed is null, year(as_of), year(closed))}; {year(closed) - year(opened)} years, {1000 * (year(closed) - year(opened) + 1)} days"

        """

    func messages() throws -> (kpi: String, caseAlert: String, label: String?) {
        let evaluation = try EngineFixture(rules: Self.rules).evaluate()
        let kpi = try #require(evaluation.alerts.first { $0.rule == "all_cases" })
        let caseAlert = try #require(evaluation.alerts.first { $0.rule == "scored" })
        return (kpi.message, caseAlert.message, caseAlert.labels["points"])
    }

    @Test func aWholeNumberReadsWithSeparatorsWhateverProducedIt() throws {
        let (kpi, caseAlert, _) = try messages()
        #expect(kpi.hasPrefix("12,345 int, 12,345 number, 7,000 value, 7 count, 12,345 cases, "), "\(kpi)")
        #expect(caseAlert.hasPrefix("12,345 int, 12,345 number, 12,345 points; "), "\(caseAlert)")
    }

    /// A year computed from a date names the year: "2,024" would be wrong. A span of years is an amount.
    @Test func aYearReadsWithoutASeparator() throws {
        let (kpi, caseAlert, _) = try messages()
        #expect(kpi.hasSuffix(", 2024, 2023"), "\(kpi)")
        #expect(
            caseAlert.hasSuffix("; opened 2024, reviewed 2025, closed 2024, 2024; 0 years, 1,000 days"), "\(caseAlert)")
    }

    /// A label is matched by routes and carried by exports as written.
    @Test func aLabelKeepsItsDigitsAsWritten() throws {
        #expect(try messages().label == "12345")
    }

    /// A numeric case reference (a `key: true` field, or the field a case alert keys on) names the case.
    @Test func anIdentifierReadsAsWrittenAndAnAmountFieldWithSeparators() throws {
        let directory = TemporaryDirectory()
        directory.write("cases.csv", "ref,other_ref,days\n100234,554433,12345\n")
        directory.write(
            "rules.yaml",
            """
            case_alerts:
              - id: waiting
                title: Waiting
                dataset: cases
                key: other_ref
                where: "true"
                severity: warning
                message: "Case {ref} ({other_ref}) has waited {days} days, {ref + 0} in sum"

            """)
        let config = directory.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules.yaml]
            datasets:
              cases:
                source: csv
                path: cases.csv
                fields:
                  ref: { column: ref, type: int, key: true }
                  other_ref: { column: other_ref, type: int }
                  days: { column: days, type: int }
            sinks:
              - type: stdout

            """)
        let alert = try #require(try evaluateProject(config, asOf: "2024-03-15").alerts.first)
        #expect(alert.message == "Case 100234 (554433) has waited 12,345 days, 100,234 in sum")
    }

    @Test func theOneFormatterGroupsIntsAndWholeNumbersAlike() {
        #expect(ValueFormatter.plain(.int(12345)) == "12,345")
        #expect(ValueFormatter.plain(.number(12345)) == "12,345")
        #expect(ValueFormatter.plain(.int(-1_234_567)) == "-1,234,567")
        #expect(ValueFormatter.plain(.number(-1234.56)) == "-1,234.6")
        #expect(ValueFormatter.plain(.int(999)) == "999")
        // Past 2^53 the Int's own digits, not a Double's approximation.
        #expect(ValueFormatter.plain(.int(Int.max)) == "9,223,372,036,854,775,807")
        #expect(ValueFormatter.plain(.int(Int.min)) == "-9,223,372,036,854,775,808")
        #expect(ValueFormatter.plain(.int(2024), separators: false) == "2024")
        #expect(ValueFormatter.plain(.number(12345.25), separators: false) == "12345.3")
        #expect(ValueFormatter.plain(.null) == "–")
        #expect(Counted.text(12345, "case") == "12,345 cases")
    }
}
