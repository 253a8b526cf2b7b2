import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchEngine

/// `kpiwatch test`: a small project and test files written per test, run through the built executable.
@Suite struct RuleTestCommandTests {
    static let project = """
        version: 1
        rules: [rules.yaml]
        datasets:
          assessments:
            source: csv
            path: assessments.csv
            date_format: dd/MM/yyyy
            fields:
              case_id: { column: "Case Ref", key: true }
              team: "Team"
              received: { column: "Received", type: date }
              issued: { column: "Issued", type: date }
        """

    static let rules = """
        kpis:
          - id: open_past_52_weeks
            title: Open past 52 weeks
            dataset: assessments
            where: issued is null and days_between(received, as_of) > 364
            period: snapshot
            value: count()
            group_by: [team]
            unit: count
            thresholds: { critical: value > 0 }
        case_alerts:
          - id: past_52_weeks
            title: Past 52 weeks
            dataset: assessments
            key: case_id
            where: issued is null and days_between(received, as_of) > 364
            severity: critical
        """

    /// A project folder with the rules above, an export holding one old open case (A9), and `tests/t.yaml`.
    func folder(test: String) -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        folder.write("kpiwatch.yaml", Self.project)
        folder.write("rules.yaml", Self.rules)
        folder.write("assessments.csv", "Case Ref,Team,Received,Issued\nA9,South,01/01/2020,\n")
        folder.write("tests/t.yaml", test)
        return folder
    }

    static let passing = """
        project: ../kpiwatch.yaml
        tests:
          - name: a case past 52 weeks is critical
            as_of: [2023-03-31, 2023-04-30]
            data:
              assessments:
                - { case_id: A1, team: North, received: 2022-01-04, issued: null }
                - { case_id: A2, team: North, received: 04/01/2023 }
            expect_kpis:
              - { id: open_past_52_weeks, value: 1, state: critical }
              - { id: open_past_52_weeks, group: { team: North }, value: 1, count: 1 }
            expect_alerts:
              - { rule: past_52_weeks, key: A1, severity: critical }
              - { rule: open_past_52_weeks }
            only_expected_alerts: true
        """

    @Test func passingTestsExitZeroAndReadInlineRowsThroughTheDatasetsDateFormat() throws {
        let dir = folder(test: Self.passing)
        let result = try runKPIWatch(["test", "tests/t.yaml"], directory: dir.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // One run per as-of date; A9 in the project's own export is replaced by the inline rows.
        #expect(result.stdout.contains("tests/t.yaml: 2 passed"))
    }

    @Test func aFailurePrintsExpectedAgainstGotAtTheExpectationsLine() throws {
        let test = Self.passing.replacingOccurrences(of: "value: 1, state: critical", with: "value: 2, state: ok")
        let dir = folder(test: test)
        let result = try runKPIWatch(["test", "tests/t.yaml"], directory: dir.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL tests/t.yaml:3:5: a case past 52 weeks is critical (as of 2023-03-31)"))
        #expect(
            result.stdout.contains(
                "tests/t.yaml:10:9: open_past_52_weeks (current period 2023-03-31, overall): value expected 2, got 1; "
                    + "state expected ok, got critical"))
        #expect(result.stdout.contains("tests/t.yaml: 0 passed, 2 did not pass"))
    }

    @Test func anAlertNotExpectedFailsUnderOnlyExpectedAlerts() throws {
        let test = Self.passing.replacingOccurrences(
            of: "- { case_id: A2, team: North, received: 04/01/2023 }",
            with: "- { case_id: A2, team: North, received: 04/01/2021 }"
        ).replacingOccurrences(of: "value: 1, state: critical", with: "value: 2, state: critical")
            .replacingOccurrences(of: "value: 1, count: 1", with: "value: 2, count: 2")
        let dir = folder(test: test)
        let result = try runKPIWatch(["test", "tests/t.yaml"], directory: dir.path)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "tests/t.yaml:15:27: expected no other alerts, got 1: past_52_weeks key A2 critical"))
    }

    @Test func datasetsNotGivenAreReadAsTheProjectSaysAndFilesInTheExportsFormat() throws {
        let dir = folder(
            test: """
                project: ../kpiwatch.yaml
                tests:
                  - name: the project's export
                    as_of: 2023-03-31
                    expect_alerts: [{ rule: past_52_weeks, key: A9 }]
                  - name: a file in the export's format
                    as_of: 2023-03-31
                    data: { assessments: { file: fixtures/two.csv } }
                    expect_kpis: [{ id: open_past_52_weeks, value: 2 }]
                """)
        dir.write("tests/fixtures/two.csv", "Case Ref,Team,Received,Issued\nB1,East,01/01/2020,\nB2,East,02/01/2020,\n")
        let result = try runKPIWatch(["test", "tests/t.yaml"], directory: dir.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test func aMalformedTestFileIsALocatedLoadErrorExitThree() throws {
        let dir = folder(
            test: """
                project: ../kpiwatch.yaml
                tests:
                  - name: misspelt
                    as_of: 2023-31-03
                    data:
                      asessments: []
                      assessments:
                        - { case_id: A1, recieved: 2022-01-04 }
                    expect_kpi:
                      - { id: open_past_52_weeks, value: 1 }
                    expect_alerts:
                      - { rule: past_52_week, severity: fatal }
                """)
        let result = try runKPIWatch(["test", "tests/t.yaml", "tests/t.yaml"], directory: dir.path)
        #expect(result.status == 3)
        let errors = result.stderr
        #expect(
            errors.contains("tests/t.yaml:4:12: error: 'as_of' of test 'misspelt' must be a date; got '2023-31-03'"))
        #expect(
            errors.contains(
                "tests/t.yaml:6:7: error: unknown key 'asessments' in 'data' of test 'misspelt'; did you mean 'assessments'?"
            ))
        #expect(
            errors.contains(
                "tests/t.yaml:8:26: error: unknown key 'recieved' in a row of the data of dataset 'assessments'; did you mean 'received'?"
            ))
        #expect(
            errors.contains("tests/t.yaml:9:5: error: unknown key 'expect_kpi' in a test; did you mean 'expect_kpis'?"))
        #expect(
            errors.contains(
                "tests/t.yaml:12:17: error: 'past_52_week' is not one of the project's KPI and case-alert ids; did you mean 'past_52_weeks'?"
            ))
        #expect(
            errors.contains(
                "tests/t.yaml:12:41: error: 'severity' must be one of warning, critical, unknown; got 'fatal'"))
        #expect(errors.contains("tests/t.yaml: not loaded"))
        #expect(result.stdout.isEmpty)
    }

    @Test func inlineValuesAreTypedLikeTheExportAndABadOneStopsTheTestWithExitThree() throws {
        let test = Self.passing.replacingOccurrences(of: "received: 04/01/2023", with: "received: 31/02/2023")
        let dir = folder(test: test)
        let result = try runKPIWatch(["test", "tests/t.yaml"], directory: dir.path)
        #expect(result.status == 3)
        // The row number of an inline row is its line in the test file.
        #expect(
            result.stdout.contains(
                "tests/t.yaml: inline assessments, row 8, column \"Received\": \"31/02/2023\" is not a date in dd/MM/yyyy"
            ))
        #expect(result.stdout.contains("ERROR tests/t.yaml:3:5"))
    }

    @Test func aTestsFolderInsideARulesFolderIsNotReadAsRules() throws {
        let dir = folder(test: Self.passing)
        dir.write("pack/rules.yaml", Self.rules)
        dir.write("pack/tests/t.yaml", Self.passing)
        let config = try Engine.standard().loadConfig(
            path: dir.write("pack.yaml", Self.project.replacingOccurrences(of: "[rules.yaml]", with: "[pack]")))
        #expect(config.ruleFiles.map { ($0 as NSString).lastPathComponent } == ["rules.yaml"])
    }

    @Test func aTestFileThatDoesNotExistIsExitThree() throws {
        let dir = folder(test: Self.passing)
        let result = try runKPIWatch(["test", "tests/t.yaml", "tests/missing.yaml"], directory: dir.path)
        #expect(result.status == 3)
        #expect(result.stdout.contains("tests/t.yaml: 2 passed"))
        #expect(result.stderr.contains("test file 'tests/missing.yaml' does not exist"))
    }
}

/// The standard pack's own rule tests (rules/send/tests), run as CI runs them.
@Suite struct PackRuleTestsTests {
    static var testFiles: [String] {
        let folder = TestPaths.repo("rules/send/tests")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "rules/send/tests/" + $0 }
    }

    @Test func everyPackTestPasses() throws {
        let files = Self.testFiles
        try #require(!files.isEmpty)
        let result = try runKPIWatch(["test"] + files, directory: TestPaths.repository.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test func everyKPIAndCaseAlertOfThePackHasATest() throws {
        var tested: Set<String> = []
        var ids: [String] = []
        for file in Self.testFiles {
            let loaded = try RuleTestLoader.load(path: TestPaths.repo(file), engine: .standard())
            ids = loaded.project.compiled.kpiIDs + loaded.project.compiled.caseAlertIDs
            for test in loaded.tests {
                tested.formUnion(test.expectedKPIs.map(\.id))
                tested.formUnion(test.expectedAlerts.map(\.rule))
            }
        }
        let untested = ids.filter { !tested.contains($0) }
        #expect(
            untested.isEmpty,
            "rules in rules/send with no expectation in rules/send/tests (add one, worked out by hand): \(untested)")
    }
}
