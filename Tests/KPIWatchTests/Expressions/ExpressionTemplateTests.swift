import Testing

@testable import KPIWatchCore
@testable import KPIWatchExpressions

@Suite struct ExpressionTemplateTests {
    typealias F = ExpressionFixture

    private let origin = TextOrigin(file: "rules/alerts.yaml", line: 3, column: 14)

    private func parts(_ text: String) throws -> [TemplatePart] {
        try TemplateParser.parse(LocatedText(text, origin: origin))
    }

    private func placeholders(_ parts: [TemplatePart]) -> [LocatedText] {
        parts.compactMap { part in
            if case .placeholder(let text) = part { return text }
            return nil
        }
    }

    @Test func splitsLiteralTextAndPlaceholders() throws {
        let result = try parts("Case {case_id} is at week {weeks_between(request_date, as_of)}")
        #expect(result.count == 4)
        #expect(result[0] == .literal("Case "))
        #expect(result[2] == .literal(" is at week "))
        #expect(placeholders(result).map(\.text) == ["case_id", "weeks_between(request_date, as_of)"])
    }

    @Test func doubledBracesAreLiteral() throws {
        #expect(
            try parts("{{not a placeholder}} for {team}") == [
                .literal("{not a placeholder} for "),
                .placeholder(
                    LocatedText(
                        "team",
                        origin: TextOrigin(file: "rules/alerts.yaml", line: 3, column: 41, continuationColumn: 14))),
            ])
        #expect(try parts("no placeholders") == [.literal("no placeholders")])
    }

    @Test func placeholdersCarryTheirOrigin() throws {
        let result = placeholders(try parts("Case {case_id} in { team }"))
        #expect(result.map { $0.origin.start.description } == ["rules/alerts.yaml:3:20", "rules/alerts.yaml:3:34"])
        #expect(result.map(\.text) == ["case_id", "team"])
    }

    @Test func compilingAPlaceholderReportsTheColumnInTheFile() throws {
        let placeholder = try #require(placeholders(try parts("Week {weeks_between(recieved, as_of)}")).first)
        let errors = F.errors(placeholder.text, origin: placeholder.origin)
        #expect(errors.map(\.message) == ["unknown field 'recieved'"])
        #expect(errors.first?.location?.description == "rules/alerts.yaml:3:34")
    }

    @Test func placeholderOnAContinuationLineIsLocatedThere() throws {
        let block = TextOrigin(file: "rules/alerts.yaml", line: 3, column: 14, continuationColumn: 5)
        let result = try TemplateParser.parse(LocatedText("Case {case_id}\nteam {team}", origin: block))
        #expect(
            placeholders(result).map { $0.origin.start.description } == [
                "rules/alerts.yaml:3:20", "rules/alerts.yaml:4:11",
            ])
    }

    @Test func bracesInsideQuotedStringsDoNotCloseAPlaceholder() throws {
        #expect(placeholders(try parts(#"{coalesce(team, "}")}!"#)).map(\.text) == [#"coalesce(team, "}")"#])
    }

    @Test func reportsAnUnclosedBraceAtItsPosition() {
        #expect(throws: Diagnostics.self) { try parts("Case {case_id") }
        do {
            _ = try parts("Case {case_id")
        } catch let error as Diagnostics {
            #expect(error.items.map(\.message) == ["unclosed '{' in a message"])
            #expect(error.items.first?.location?.description == "rules/alerts.yaml:3:19")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func reportsLoneClosingBracesAndEmptyPlaceholders() {
        do {
            _ = try parts("a } b {} c")
            Issue.record("expected errors")
        } catch let error as Diagnostics {
            #expect(
                error.items.map(\.message) == ["unexpected '}' in a message", "empty placeholder '{}' in a message"])
            #expect(
                error.items.map { $0.location?.description } == ["rules/alerts.yaml:3:16", "rules/alerts.yaml:3:20"])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
