import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// `check --explain-plan` on a dataset whose source cannot be opened: the errors stay errors, each on its line.
@Suite struct ExplainPlanProblemTests {
    @Test func aSourceThatCannotBeOpenedIsExplainedWithItsErrors() throws {
        let folder = TemporaryDirectory()
        folder.write("rules.yaml", "kpis:\n  - { id: n, dataset: cases, period: all, value: 'count()' }\n")
        let config = folder.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules.yaml]
            datasets:
              cases:
                source: sqlite
                path: missing.sqlite
                query: SELECT * FROM cases;
                fields:
                  case_id: "Case"
            """)
        let engine = Engine.standard()
        let project = try engine.load(configPath: config)
        let explanation = try #require(engine.explainPlan(project, asOf: Day(iso: "2024-03-15")!).first)
        #expect(explanation.decisions.isEmpty)
        let problem = try #require(explanation.problems.first)
        #expect(problem.description.contains("missing.sqlite"), "\(problem)")
        #expect(explanation.text.split(separator: "\n").contains { $0 == "  \(problem)" })
    }
}
