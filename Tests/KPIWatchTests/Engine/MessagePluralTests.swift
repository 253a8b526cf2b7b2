import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchExpressions

/// `{plural(n, "word", "words")}` in KPI and case-alert messages: the number as messages write it and the word that
/// agrees with it; misuse is a load error at its file, line and column.
@Suite struct MessagePluralTests {
    /// Open cases per team as of 2024-03-15: Alpha 1, Beta 2, Gamma 1, Delta 0. Scores 1, 0, 2, 1234567, 1.5, none.
    static let csv = """
        id,team,opened,closed,score,exception
        A1,Alpha,05/01/2024,,1,
        B1,Beta,10/02/2024,,0,
        B2,Beta,15/02/2024,,2,
        G1,Gamma,01/03/2024,05/03/2024,1234567,
        G2,Gamma,20/12/2023,,1.5,
        G3,Gamma,20/12/2023,01/01/2024,,
        D1,Delta,01/01/2024,02/01/2024,5,

        """

    static let rules = """
        kpis:
          - id: open_cases
            title: Open cases
            dataset: cases
            period: snapshot
            value: count(closed is null)
            group_by: [team]
            unit: count
            thresholds:
              warning: value >= 0
            message: "{team}: {plural(value, \\"open case is\\", \\"open cases are\\")} waiting; {plural(value * 1000, \\"point\\")}"
        case_alerts:
          - id: scored
            title: Scored
            dataset: cases
            key: id
            where: "true"
            severity: warning
            message: "Case {id}: {plural(score, \\"point\\")}, {plural( days_between(opened, as_of) , \\"day\\", \\"days\\")} since it opened"

        """

    func messages() throws -> [String: String] {
        let evaluation = try EngineFixture(rules: Self.rules, csv: Self.csv).evaluate()
        var messages: [String: String] = [:]
        for alert in evaluation.alerts {
            messages[alert.key ?? (alert.group["team"] ?? "All")] = alert.message
        }
        return messages
    }

    @Test func aKPIMessageAgreesWithItsValue() throws {
        let messages = try messages()
        #expect(messages["Alpha"] == "Alpha: 1 open case is waiting; 1,000 points")
        #expect(messages["Beta"] == "Beta: 2 open cases are waiting; 2,000 points")
        #expect(messages["Delta"] == "Delta: 0 open cases are waiting; 0 points")
        #expect(messages["All"] == "All: 4 open cases are waiting; 4,000 points")
    }

    @Test func aCaseAlertMessageAgreesWithAnyNumberItComputes() throws {
        let messages = try messages()
        #expect(messages["A1"] == "Case A1: 1 point, 70 days since it opened")
        #expect(messages["B1"] == "Case B1: 0 points, 34 days since it opened")
        #expect(messages["B2"] == "Case B2: 2 points, 29 days since it opened")
        #expect(messages["G1"] == "Case G1: 1,234,567 points, 14 days since it opened")
        #expect(messages["G2"] == "Case G2: 1.5 points, 86 days since it opened")
        // No score: the number reads "–", as a missing {value} does, and the word stays.
        #expect(messages["G3"] == "Case G3: – points, 86 days since it opened")
    }

    @Test func oneIsSingularOnlyAsItIsWritten() {
        let plural = TemplatePlural(
            number: LocatedText("n", origin: TextOrigin(file: "r.yaml", line: 1, column: 1)), singular: "day",
            plural: "days")
        #expect(plural.text("1") == "1 day")
        #expect(plural.text("-1") == "-1 day")
        #expect(plural.text("1.0") == "1.0 days")
        #expect(plural.text("11") == "11 days")
        #expect(plural.text("1,001") == "1,001 days")
        #expect(plural.text("–") == "– days")
    }

    /// `rules` with `message` replaced, loaded; the errors as `rules.yaml:LINE:COLUMN: error: …` lines.
    func loadErrors(kpiMessage: String? = nil, caseMessage: String? = nil, unit: String = "count", where: String? = nil)
        throws -> (errors: String, rules: String)
    {
        var rules = Self.rules.replacingOccurrences(of: "unit: count", with: "unit: \(unit)")
        if let kpiMessage {
            rules = rules.replacingOccurrences(
                of:
                    #"message: "{team}: {plural(value, \"open case is\", \"open cases are\")} waiting; {plural(value * 1000, \"point\")}""#,
                with: "message: '\(kpiMessage)'")
        }
        if let caseMessage {
            rules = rules.replacingOccurrences(
                of:
                    #"message: "Case {id}: {plural(score, \"point\")}, {plural( days_between(opened, as_of) , \"day\", \"days\")} since it opened""#,
                with: "message: '\(caseMessage)'")
        }
        if let `where` { rules = rules.replacingOccurrences(of: #"where: "true""#, with: "where: '\(`where`)'") }
        let fixture = EngineFixture(rules: rules, csv: Self.csv)
        let error = try #require(throws: Diagnostics.self) { try fixture.evaluate() }
        let directory = (fixture.config as NSString).deletingLastPathComponent + "/"
        return (error.description.replacingOccurrences(of: directory, with: ""), rules)
    }

    /// `line:column` of the first `needle` in `text`, 1-based, as the loader counts them.
    func position(of needle: String, in text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        for (index, line) in lines.enumerated() {
            if let range = line.range(of: needle) {
                return "\(index + 1):\(line.unicodeScalars.distance(from: line.startIndex, to: range.lowerBound) + 1)"
            }
        }
        return "not found"
    }

    @Test func aPluralWithoutWordsOrWithComputedWordsIsALoadErrorAtItsPlace() throws {
        let (errors, rules) = try loadErrors(caseMessage: #"Case {id}: {plural(score)} and {plural(score, team, "")}"#)
        #expect(
            errors.contains(
                "rules.yaml:\(position(of: "plural(score)", in: rules)): error: plural takes a number and one or two words, got 1 argument"
            ), "\(errors)")
        #expect(errors.contains(#"write it as plural(n, "plan", "plans")"#), "\(errors)")
        #expect(
            errors.contains(
                "rules.yaml:\(position(of: "team, \"\")", in: rules)): error: the words of plural must be text in quotes"
            ),
            "\(errors)")
        #expect(
            errors.contains("rules.yaml:\(position(of: "\"\")}", in: rules)): error: the words of plural"), "\(errors)")
    }

    @Test func aPluralOfTextIsALoadErrorAtTheNumber() throws {
        let (errors, rules) = try loadErrors(caseMessage: #"Case {id}: {plural(team, "team")}"#)
        #expect(
            errors.contains(
                "rules.yaml:\(position(of: "team, \"team\"", in: rules)): error: expected a number, got string"),
            "\(errors)")
    }

    @Test func aPluralOfAPercentValueIsALoadErrorThatSuggestsTheValue() throws {
        let (errors, rules) = try loadErrors(kpiMessage: #"{team}: {plural(value, "case")}"#, unit: "percent")
        #expect(
            errors.contains(
                "rules.yaml:\(position(of: "value, \"case\"", in: rules)): error: plural counts 'value' as a number of things, but this KPI's unit is percent"
            ), "\(errors)")
        #expect(errors.contains("write {value}, which has its unit"), "\(errors)")
    }

    @Test func aPluralInsideAnExpressionIsALoadErrorThatShowsWhereItGoes() throws {
        let (errors, rules) = try loadErrors(where: #"plural(score, "x") == "1 x""#)
        #expect(
            errors.contains(
                "rules.yaml:\(position(of: "plural(score, \"x\")", in: rules)): error: plural(…) is only allowed as a whole placeholder of a message"
            ), "\(errors)")
    }
}
