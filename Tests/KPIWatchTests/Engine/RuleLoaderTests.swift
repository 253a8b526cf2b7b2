import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

@Suite struct RuleLoaderTests {
    let fixture = ConfigFixture()

    /// Loads `rules` as `rules/a.yaml` (and `benchmarks` as `benchmarks.yaml` if given).
    func load(_ rules: String, benchmarks: String? = nil) -> (RuleSet?, [Diagnostic], String) {
        let file = fixture.write("rules/a.yaml", rules)
        let benchmarkFiles = benchmarks.map { [fixture.write("benchmarks.yaml", $0)] } ?? []
        var set: RuleSet?
        let errors = ConfigFixture.errors {
            set = try RuleLoader.load(ruleFiles: [file], benchmarkFiles: benchmarkFiles)
        }
        return (set, errors, file)
    }

    /// A valid KPI to which a test adds the lines it is about.
    static func kpi(_ extra: String = "", id: String = "k") -> String {
        "kpis:\n  - id: \(id)\n    dataset: cases\n    period: all\n    value: count()\n\(extra)"
    }

    @Test func readsEveryKeyOfAKPIAndACaseAlert() throws {
        let (set, errors, file) = load(
            """
            kpis:
              - id: timeliness_20w
                title: New EHC plans issued within 20 weeks
                description: Plans issued in the period within 140 days of the request.
                basis: SEND Regulations 2014, reg. 13(2)
                dataset: assessments
                where: final_plan_date is not null and exception is null
                date: final_plan_date
                period: month
                history: 12
                cumulative: true
                value: percent(days_between(request_date, final_plan_date) <= 140)
                group_by: [team, quadrant]
                unit: percent
                higher_is_better: true
                thresholds:
                  warning: value < 70
                  critical: value < benchmark.national_timeliness_20w
                for: 2
                min_count: 5
                no_data: warning
                labels: { service: send, owner: Head of SEND }
                message: "{team}: {value} of plans issued within 20 weeks in {period}"
              - id: request_rate
                value: 100 * kpi.requests_12m / kpi.population
                group_by: team
            case_alerts:
              - id: ep_advice_outstanding_week_12
                title: EP advice still outstanding at week 12
                description: Cases at risk.
                basis: Code of Practice 9.44
                dataset: assessments
                key: case_id
                where: final_plan_date is null and weeks_between(request_date, as_of) >= 12
                severity: critical
                labels: { team: "{team}" }
                message: Case {case_id} is at week {weeks_between(request_date, as_of)}
            """)
        #expect(errors.isEmpty, "\(errors)")
        let rules = try #require(set)
        #expect(rules.kpis.map(\.id) == ["timeliness_20w", "request_rate"])
        let kpi = rules.kpis[0]
        #expect(kpi.title == "New EHC plans issued within 20 weeks")
        #expect(kpi.description == "Plans issued in the period within 140 days of the request.")
        #expect(kpi.basis == "SEND Regulations 2014, reg. 13(2)")
        #expect(kpi.dataset == LocatedName("assessments", at: SourceLocation(file: file, line: 6, column: 14)))
        #expect(kpi.whereClause?.text == "final_plan_date is not null and exception is null")
        #expect(kpi.whereClause?.origin == TextOrigin(file: file, line: 7, column: 12))
        #expect(kpi.date?.text == "final_plan_date")
        #expect(kpi.period == .month)
        #expect(kpi.history == 12)
        #expect(kpi.cumulative)
        #expect(kpi.value.text == "percent(days_between(request_date, final_plan_date) <= 140)")
        #expect(kpi.value.origin.start.description == "\(file):12:12")
        #expect(kpi.groupBy.map(\.name) == ["team", "quadrant"])
        #expect(kpi.groupBy[1].location.description == "\(file):13:22")
        #expect(kpi.unit == .percent)
        #expect(kpi.higherIsBetter == true)
        #expect(kpi.thresholds.map(\.severity) == [.warning, .critical])
        #expect(kpi.thresholds.map(\.condition.text) == ["value < 70", "value < benchmark.national_timeliness_20w"])
        #expect(kpi.thresholds[1].condition.origin.start.description == "\(file):18:17")
        #expect(kpi.forPeriods == 2)
        #expect(kpi.minCount == 5)
        #expect(kpi.noData == .warning)
        #expect(kpi.labels == ["service": "send", "owner": "Head of SEND"])
        #expect(kpi.message?.text == "{team}: {value} of plans issued within 20 weeks in {period}")
        #expect(kpi.message?.origin.start.description == "\(file):23:15")
        #expect(kpi.file == file)
        #expect(kpi.location.description == "\(file):2:5")

        let derived = rules.kpis[1]
        #expect(derived.title == "request_rate")
        #expect(derived.dataset == nil)
        #expect(derived.period == nil)
        #expect(derived.history == 1)
        #expect(!derived.cumulative)
        #expect(derived.unit == .number)
        #expect(derived.noData == .ignore)
        #expect(derived.groupBy == [LocatedName("team", at: SourceLocation(file: file, line: 26, column: 15))])

        let alert = try #require(rules.caseAlerts.first)
        #expect(alert.id == "ep_advice_outstanding_week_12")
        #expect(alert.title == "EP advice still outstanding at week 12")
        #expect(alert.description == "Cases at risk.")
        #expect(alert.basis == "Code of Practice 9.44")
        #expect(alert.dataset.name == "assessments")
        #expect(alert.key.text == "case_id")
        #expect(alert.key.origin.start.description == "\(file):33:10")
        #expect(alert.whereClause.text == "final_plan_date is null and weeks_between(request_date, as_of) >= 12")
        #expect(alert.severity == .critical)
        #expect(alert.labels["team"]?.text == "{team}")
        #expect(alert.labels["team"]?.origin.start.description == "\(file):36:22")
        #expect(alert.message?.text == "Case {case_id} is at week {weeks_between(request_date, as_of)}")
        #expect(alert.location.description == "\(file):28:5")
    }

    @Test func placesAQuotedExpressionAfterItsQuote() throws {
        let (set, errors, file) = load(
            "case_alerts:\n  - id: a\n    dataset: cases\n    key: 'case_id'\n    where: \"x is null\"\n")
        #expect(errors.isEmpty, "\(errors)")
        let alert = try #require(set?.caseAlerts.first)
        #expect(alert.whereClause.text == "x is null")
        #expect(alert.whereClause.origin == TextOrigin(file: file, line: 5, column: 13))
        #expect(alert.key.origin == TextOrigin(file: file, line: 4, column: 11))
        #expect(alert.whereClause.location(at: 5).description == "\(file):5:18")
    }

    @Test func placesALiteralBlockAtItsFirstContentLine() throws {
        let (set, errors, file) = load(
            Self.kpi(
                """
                    where: |
                      final_plan_date is not null
                        and exception is null
                    message: >-
                      {value} plans
                      this month

                """))
        #expect(errors.isEmpty, "\(errors)")
        let kpi = try #require(set?.kpis.first)
        let whereClause = try #require(kpi.whereClause)
        #expect(whereClause.text == "final_plan_date is not null\n  and exception is null\n")
        #expect(whereClause.origin == TextOrigin(file: file, line: 7, column: 7, continuationColumn: 7))
        #expect(
            whereClause.location(at: whereClause.text.firstIndexOffset(of: "exception")).description == "\(file):8:13")
        #expect(kpi.message?.text == "{value} plans this month")
        #expect(kpi.message?.origin == TextOrigin(file: file, line: 10, column: 7))
    }

    @Test func keepsTheLineBreaksOfAFoldedBlockExpression() throws {
        let (set, errors, file) = load(Self.kpi("    where: >\n      a is null\n      and b > 3\n"))
        #expect(errors.isEmpty, "\(errors)")
        let whereClause = try #require(set?.kpis.first?.whereClause)
        #expect(whereClause.text == "a is null\nand b > 3")
        #expect(whereClause.location(at: whereClause.text.firstIndexOffset(of: "b")).description == "\(file):8:11")
    }

    @Test func mapsAPlainExpressionFoldedOverLinesBackToItsSource() throws {
        let (set, errors, file) = load(Self.kpi("    where: a is null\n       and b > 3\n"))
        #expect(errors.isEmpty, "\(errors)")
        let whereClause = try #require(set?.kpis.first?.whereClause)
        #expect(whereClause.origin.start.description == "\(file):6:12")
        #expect(whereClause.location(at: whereClause.text.firstIndexOffset(of: "b")).description == "\(file):7:12")
    }

    @Test func appliesMergeKeysSoRulesCanShareSettings() throws {
        let (set, errors, file) = load(
            """
            kpis:
              - &monthly
                id: first
                dataset: cases
                date: issued
                period: month
                value: count()
              - <<: *monthly
                id: second
                period: quarter
            """)
        #expect(errors.isEmpty, "\(errors)")
        let second = try #require(set?.kpis.last)
        #expect(second.id == "second")
        #expect(second.period == .quarter)
        #expect(second.dataset == LocatedName("cases", at: SourceLocation(file: file, line: 4, column: 14)))
        #expect(second.value.text == "count()")
    }

    @Test func reportsAnUnknownKeyInAKPI() {
        let (_, errors, file) = load(Self.kpi("    treshold: { warning: value < 3 }\n", id: "timeliness_20w"))
        expectConfigError(
            errors, at: "\(file):6:5", "unknown key 'treshold' in KPI 'timeliness_20w'",
            hint: "did you mean 'thresholds'?")
    }

    @Test func reportsAnUnknownTopLevelKey() {
        let (_, errors, file) = load("kpi:\n  - id: a\n")
        expectConfigError(errors, at: "\(file):1:1", "unknown key 'kpi' in the rule file", hint: "did you mean 'kpis'?")
    }

    @Test func reportsKPIsThatAreNotAList() {
        let (_, errors, file) = load("kpis:\n  id: a\n")
        expectConfigError(errors, at: "\(file):2:3", "'kpis' must be a list (items starting with '- '); got a mapping")
    }

    @Test func reportsAMissingID() {
        let (_, errors, file) = load("kpis:\n  - dataset: cases\n    period: all\n    value: count()\n")
        expectConfigError(
            errors, at: "\(file):2:5", "a KPI has no 'id'",
            hint:
                "give it an id of lower-case letters, digits and _, starting with a letter, "
                + "unique across all rule files"
        )
    }

    @Test func reportsAnInvalidID() {
        let (_, errors, file) = load(Self.kpi(id: "Timeliness-20w"))
        expectConfigError(
            errors, at: "\(file):2:9", "KPI id 'Timeliness-20w' is not valid",
            hint: "an id holds lower-case letters, digits and _, starting with a letter, e.g. 'timeliness_20w'")
    }

    @Test func reportsADuplicateIDAcrossFilesKPIsAndCaseAlerts() {
        let first = fixture.write("rules/a.yaml", Self.kpi(id: "late"))
        let second = fixture.write(
            "rules/b.yaml", "case_alerts:\n  - id: late\n    dataset: cases\n    key: case_id\n    where: x\n")
        let errors = ConfigFixture.errors { try RuleLoader.load(ruleFiles: [first, second], benchmarkFiles: []) }
        expectConfigError(errors, at: "\(second):2:9", "duplicate id 'late'", hint: "first defined at \(first):2:9")
    }

    @Test func reportsAKPIWithoutValueAtItsMapping() {
        let (_, errors, file) = load("kpis:\n  - id: x\n    dataset: cases\n    period: all\n")
        expectConfigError(
            errors, at: "\(file):2:5", "KPI 'x' has no 'value'",
            hint: "give the expression that computes it, e.g. value: percent(days_to_plan <= 140)")
    }

    @Test func reportsAnUnknownPeriod() {
        let (_, errors, file) = load("kpis:\n  - id: x\n    dataset: cases\n    period: monthly\n    value: count()\n")
        expectConfigError(
            errors, at: "\(file):4:13",
            "'period' must be one of month, quarter, year, year_to_date, rolling_12_months, snapshot, all; "
                + "got 'monthly'",
            hint: "did you mean 'month'?")
    }

    @Test func reportsHistoryThatIsNotAWholeNumber() {
        let (_, errors, file) = load(Self.kpi("    history: twelve\n"))
        expectConfigError(errors, at: "\(file):6:14", "'history' must be a whole number from 1 to 1000; got 'twelve'")
    }

    @Test func reportsForAndMinCountOutOfRange() {
        let (_, errors, file) = load(Self.kpi("    for: 0\n    min_count: -1\n"))
        #expect(errors.map(\.location?.description) == ["\(file):6:10", "\(file):7:16"])
        #expect(
            errors.map(\.message) == [
                "'for' must be a whole number from 1 to 1000; got '0'",
                "'min_count' must be a whole number ≥ 0; got '-1'",
            ])
    }

    @Test func reportsBadUnitNoDataAndBooleans() {
        let (_, errors, file) = load(
            Self.kpi("    unit: percentage\n    no_data: skip\n    higher_is_better: yes\n"))
        #expect(errors.map(\.location?.description) == ["\(file):6:11", "\(file):7:14", "\(file):8:23"])
        #expect(
            errors.map(\.message) == [
                "'unit' must be one of percent, count, number, days, weeks, ratio; got 'percentage'",
                "'no_data' must be one of ignore, warning, critical, unknown; got 'skip'",
                "'higher_is_better' must be true or false; got 'yes'",
            ])
        #expect(errors[0].hint == "did you mean 'percent'?")
    }

    @Test func reportsAMissingPeriodForADatasetKPI() {
        let (_, errors, file) = load("kpis:\n  - id: x\n    dataset: cases\n    value: count()\n")
        expectConfigError(
            errors, at: "\(file):2:5", "KPI 'x' has no 'period'",
            hint: "one of month, quarter, year, year_to_date, rolling_12_months, snapshot, all")
    }

    @Test func reportsAPeriodOnAKPIWithoutDataset() {
        let (_, errors, file) = load("kpis:\n  - id: x\n    period: month\n    value: kpi.a + kpi.b\n")
        expectConfigError(
            errors, at: "\(file):3:5", "a KPI without dataset takes its period from the KPIs it references",
            hint: "remove 'period', or add 'dataset:' to count records")
    }

    @Test func reportsAWhereOnAKPIWithoutDataset() {
        let (_, errors, file) = load("kpis:\n  - id: x\n    where: a > 1\n    value: kpi.a\n")
        expectConfigError(
            errors, at: "\(file):3:5", "a KPI without dataset has no records for 'where' to apply to",
            hint: "remove 'where', or add 'dataset:' to count records")
    }

    @Test func reportsADatedPeriodWithoutDate() {
        let (_, errors, file) = load("kpis:\n  - id: x\n    dataset: cases\n    period: quarter\n    value: count()\n")
        expectConfigError(
            errors, at: "\(file):4:13", "KPI 'x' has period 'quarter' but no 'date'",
            hint: "add 'date: FIELD', the date that places a record in a period; only snapshot and all need none")
    }

    @Test func reportsCumulativeOutsideMonthAndQuarter() {
        let (_, errors, file) = load(
            "kpis:\n  - id: x\n    dataset: cases\n    date: d\n    period: year\n    cumulative: true\n"
                + "    value: count()\n"
        )
        expectConfigError(
            errors, at: "\(file):6:17", "'cumulative: true' needs period month or quarter; got 'year'",
            hint: "a cumulative value runs from the start of the year to the end of each month or quarter")
    }

    @Test func reportsCumulativeOnAKPIWithoutDataset() {
        let (_, errors, file) = load("kpis:\n  - id: x\n    cumulative: true\n    value: kpi.a\n")
        expectConfigError(
            errors, at: "\(file):3:17", "'cumulative: true' needs a dataset and period month or quarter")
    }

    @Test func reportsAnUnknownThresholdSeverityAndAnEmptyCondition() {
        let (_, errors, file) = load(Self.kpi("    thresholds:\n      critcal: value > 1\n      warning:\n"))
        #expect(errors.map(\.location?.description) == ["\(file):7:7", "\(file):8:7"])
        #expect(
            errors.map(\.message) == [
                "unknown key 'critcal' in 'thresholds' of KPI 'k'", "threshold 'warning' of KPI 'k' has no condition",
            ])
        #expect(errors[0].hint == "did you mean 'critical'?")
    }

    @Test func reportsThresholdsWrittenAsAList() {
        let (_, errors, file) = load(Self.kpi("    thresholds:\n      - warning: value > 1\n"))
        expectConfigError(
            errors, at: "\(file):7:7", "'thresholds' of KPI 'k' must be a mapping of keys to values; got a list")
    }

    @Test func reportsALabelThatIsNotText() {
        let (_, errors, file) = load(Self.kpi("    labels:\n      service: [send]\n"))
        expectConfigError(errors, at: "\(file):7:16", "'service' must be text; got a list")
    }

    @Test func reportsACaseAlertMissingItsRequiredKeys() {
        let (_, errors, file) = load("case_alerts:\n  - id: a\n    severity: high\n")
        #expect(
            errors.map(\.location?.description) == ["\(file):2:5", "\(file):2:5", "\(file):2:5", "\(file):3:15"])
        #expect(
            errors.map(\.message) == [
                "case alert 'a' has no 'dataset'", "case alert 'a' has no 'key'", "case alert 'a' has no 'where'",
                "'severity' must be one of warning, critical; got 'high'",
            ])
    }

    @Test func reportsAnUnknownKeyInACaseAlert() {
        let (_, errors, file) = load(
            "case_alerts:\n  - id: a\n    dataset: cases\n    key: case_id\n    where: x\n    severty: warning\n")
        expectConfigError(
            errors, at: "\(file):6:5", "unknown key 'severty' in case alert 'a'", hint: "did you mean 'severity'?")
    }

    @Test func reportsYAMLSyntaxErrorsInARuleFile() {
        let (_, errors, file) = load("kpis:\n  - id: a\n    message: Case {id}: late\n")
        #expect(errors.count == 1)
        #expect(errors.first?.location?.description == "\(file):3:23")
        #expect(errors.first?.message == "YAML syntax error: mapping values are not allowed in this context")
        #expect(errors.first?.hint == "quote a value that contains ': ' (for example message: \"…\")")
    }

    @Test func reportsADuplicateKeyInAKPIAtItsSecondOccurrence() {
        let (_, errors, file) = load(Self.kpi("    value: count(x)\n"))
        expectConfigError(
            errors, at: "\(file):6:5", "duplicate key 'value'",
            hint: "a key may appear only once in a mapping; first defined at \(file):5:5")
    }

    @Test func reportsAMissingRuleFile() {
        let missing = fixture.path("rules/none.yaml")
        let errors = ConfigFixture.errors { try RuleLoader.load(ruleFiles: [missing], benchmarkFiles: []) }
        #expect(errors.map(\.message) == ["rule file '\(missing)' does not exist"])
    }

    @Test func reportsErrorsOfEveryFileAtOnce() {
        let first = fixture.write("rules/a.yaml", Self.kpi("    unit: pct\n"))
        let second = fixture.write("rules/b.yaml", Self.kpi("    for: none\n", id: "b"))
        let errors = ConfigFixture.errors { try RuleLoader.load(ruleFiles: [first, second], benchmarkFiles: []) }
        #expect(errors.map(\.location?.file) == [first, second])
    }

    // MARK: - Benchmarks

    @Test func readsBenchmarksAsNumbersAndDates() throws {
        let (set, errors, _) = load(
            "kpis: []\n",
            benchmarks: """
                benchmarks:
                  national_timeliness_20w: { value: 59.9, year: 2021, source: "SEN2 2021" }
                  caseload_ceiling: 200
                  target_date: { value: 2026-03-31 }
                """)
        #expect(errors.isEmpty, "\(errors)")
        let benchmarks = try #require(set?.benchmarks)
        let national = try #require(benchmarks["national_timeliness_20w"])
        #expect(national.value == .number(59.9))
        #expect(national.year == "2021")
        #expect(national.source == "SEN2 2021")
        #expect(national.location.description == "\(fixture.path("benchmarks.yaml")):2:3")
        #expect(benchmarks["caseload_ceiling"]?.value == .number(200))
        #expect(benchmarks["target_date"]?.value == .date(Day(iso: "2026-03-31")!))
    }

    @Test func reportsABenchmarkValueThatIsNeitherNumberNorDate() {
        let (_, errors, _) = load("kpis: []\n", benchmarks: "benchmarks:\n  target: { value: 70% }\n  other: soon\n")
        let file = fixture.path("benchmarks.yaml")
        #expect(errors.map(\.location?.description) == ["\(file):2:20", "\(file):3:10"])
        #expect(
            errors.map(\.message) == [
                "the value of benchmark 'target' must be a number or a date written yyyy-MM-dd; got '70%'",
                "the value of benchmark 'other' must be a number or a date written yyyy-MM-dd; got 'soon'",
            ])
        #expect(errors[0].hint == "write the number without '%': a percent KPI's value is already in percent")
    }

    @Test func reportsBenchmarkNameKeysAndMissingValue() {
        let (_, errors, _) = load(
            "kpis: []\n", benchmarks: "benchmarks:\n  national rate: 1\n  a: { valu: 1 }\n  b: { year: 2021 }\n")
        let file = fixture.path("benchmarks.yaml")
        #expect(
            errors.map(\.location?.description) == ["\(file):2:3", "\(file):3:6", "\(file):3:8", "\(file):4:6"])
        #expect(
            errors.map(\.message) == [
                "benchmark name 'national rate' is not an identifier", "benchmark 'a' has no 'value'",
                "unknown key 'valu' in benchmark 'a'", "benchmark 'b' has no 'value'",
            ])
        #expect(errors[2].hint == "did you mean 'value'?")
    }

    @Test func reportsABenchmarkDefinedInTwoFiles() {
        let first = fixture.write("bench/a.yaml", "benchmarks:\n  national: 1\n")
        let second = fixture.write("bench/b.yaml", "benchmarks:\n  other: 2\n  national: 3\n")
        let errors = ConfigFixture.errors { try BenchmarkLoader.load(files: [first, second]) }
        expectConfigError(
            errors, at: "\(second):3:3", "benchmark 'national' is defined twice", hint: "first defined at \(first):2:3")
    }

    @Test func reportsAnUnknownKeyInABenchmarkFile() {
        let file = fixture.write("bench.yaml", "benchmark:\n  national: 1\n")
        let errors = ConfigFixture.errors { try BenchmarkLoader.load(files: [file]) }
        expectConfigError(
            errors, at: "\(file):1:1", "unknown key 'benchmark' in the benchmark file",
            hint: "did you mean 'benchmarks'?")
    }

    @Test func readsABenchmarkFileInsideARuleFolderAsBenchmarksOnly() throws {
        let rules = fixture.write("rules/a.yaml", Self.kpi())
        let benchmarks = fixture.write("rules/benchmarks.yaml", "benchmarks:\n  national: 1\n")
        let set = try RuleLoader.load(ruleFiles: [rules, benchmarks], benchmarkFiles: [benchmarks])
        #expect(set.kpis.count == 1)
        #expect(set.benchmarks["national"]?.value == .number(1))
    }
}

extension String {
    /// Offset in Unicode scalars of the first occurrence of `needle`, as `LocatedText.location(at:)` counts.
    fileprivate func firstIndexOffset(of needle: String) -> Int {
        guard let range = range(of: needle) else { return -1 }
        return unicodeScalars.distance(from: unicodeScalars.startIndex, to: range.lowerBound)
    }
}
