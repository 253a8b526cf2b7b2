import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// A temporary folder of config files for one test; removed when the test ends.
final class ConfigFixture {
    let directory: String

    init() {
        directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("kpiwatch-config-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ relative: String) -> String { (directory as NSString).appendingPathComponent(relative) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let full = path(relative)
        try? FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
        return full
    }

    func makeFolder(_ relative: String) {
        try? FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    /// The diagnostics `body` throws; none if it succeeds.
    static func errors(_ body: () throws -> some Any) -> [Diagnostic] {
        do {
            _ = try body()
            return []
        } catch let error as Diagnostics {
            return error.items
        } catch {
            Issue.record("expected Diagnostics, got \(error)")
            return []
        }
    }
}

/// Asserts that `errors` is exactly one diagnostic, at `location`, with `message` and (if given) `hint`.
func expectConfigError(
    _ errors: [Diagnostic], at location: String, _ message: String, hint: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    #expect(errors.count == 1, "\(errors)", sourceLocation: sourceLocation)
    guard let error = errors.first else { return }
    #expect(error.location?.description == location, "\(error)", sourceLocation: sourceLocation)
    #expect(error.message == message, sourceLocation: sourceLocation)
    if let hint { #expect(error.hint == hint, sourceLocation: sourceLocation) }
}

@Suite struct ProjectLoaderTests {
    let fixture = ConfigFixture()

    func load(_ text: String, environment: [String: String] = [:]) -> (ProjectConfig?, [Diagnostic], String) {
        let file = fixture.write("kpiwatch.yaml", text)
        var config: ProjectConfig?
        let errors = ConfigFixture.errors {
            config = try Engine.standard().loadConfig(path: file, environment: environment)
        }
        return (config, errors, file)
    }

    static let minimalDataset = """
        datasets:
          cases:
            source: csv
            path: cases.csv
            fields:
              case_id: Case Ref

        """

    @Test func readsEveryKeyOfAFullProject() throws {
        fixture.write("rules/send/b.yaml", "kpis: []\n")
        fixture.write("rules/send/a.yml", "kpis: []\n")
        fixture.write("rules/send/nested/c.yaml", "kpis: []\n")
        fixture.write("rules/send/notes.txt", "not a rule file")
        fixture.write("rules/send/.hidden.yaml", "kpis: []\n")
        fixture.write("rules/extra.yaml", "kpis: []\n")
        fixture.write("rules/benchmarks.yaml", "benchmarks: {}\n")
        let (config, errors, file) = load(
            """
            version: 1
            timezone: Europe/Paris
            year_start: "09-01"
            rules: [rules/send, rules/extra.yaml]
            benchmarks: rules/benchmarks.yaml
            state: var/state.sqlite
            as_of: 2023-03-31
            datasets:
              assessments:
                source: csv
                path: data/assessments.csv
                delimiter: ";"
                date_format: dd/MM/yyyy
                null_values: ["", "N/A", "-"]
                max_age: 3d
                extracted_at: exported
                on_bad_rows: skip
                error_limit: 5
                fields:
                  case_id:    { column: "Case Ref", type: string, key: true }
                  team: "Team"
                  request_date: { column: "Request Received", type: date }
                  child_name: { column: "Child Name", personal: true }
                  exported: { type: date }
                  weeks: { column: Weeks, type: int }
              people:
                source: plugin:capita_one
                anything: goes
                fields: { person_id: ID }
            sinks:
              - type: stdout
              - type: file
                path: out/alerts.jsonl
              - type: webhook
                format: teams
                url: https://example.invalid/hook
                match: { severity: critical }
            """)
        #expect(errors.isEmpty, "\(errors)")
        let project = try #require(config)
        let dir = fixture.directory
        #expect(project.file == file)
        #expect(project.directory == dir)
        #expect(project.version == 1)
        #expect(project.timezone == "Europe/Paris")
        #expect(project.yearStart == YearStart(month: 9, day: 1))
        #expect(
            project.ruleFiles == [
                "\(dir)/rules/send/a.yml", "\(dir)/rules/send/b.yaml", "\(dir)/rules/send/nested/c.yaml",
                "\(dir)/rules/extra.yaml",
            ])
        #expect(project.benchmarkFiles == ["\(dir)/rules/benchmarks.yaml"])
        #expect(project.statePath == "\(dir)/var/state.sqlite")
        #expect(project.asOf == Day(iso: "2023-03-31"))
        #expect(project.datasets.map(\.name) == ["assessments", "people"])
        let assessments = try #require(project.dataset(named: "assessments"))
        #expect(assessments.source == "csv")
        #expect(assessments.option("path") == "data/assessments.csv")
        #expect(assessments.option("delimiter") == ";")
        #expect(assessments.dateFormat == "dd/MM/yyyy")
        #expect(assessments.nullValues == ["", "N/A", "-"])
        #expect(assessments.maxAge == Double(3 * 86_400))
        #expect(assessments.extractedAt == "exported")
        #expect(assessments.onBadRows == .skip)
        #expect(assessments.errorLimit == 5)
        #expect(assessments.location.description == "\(file):9:3")
        #expect(
            assessments.fields.map(\.name) == ["case_id", "team", "request_date", "child_name", "exported", "weeks"])
        #expect(
            assessments.fields[0]
                == FieldSpec(
                    name: "case_id", column: "Case Ref", type: .string, key: true,
                    location: SourceLocation(file: file, line: 20, column: 7)))
        #expect(assessments.field(named: "team")?.column == "Team")
        #expect(assessments.field(named: "request_date")?.type == .date)
        #expect(assessments.field(named: "child_name")?.personal == true)
        #expect(assessments.field(named: "exported")?.column == "exported")
        #expect(assessments.field(named: "weeks")?.type == .int)
        #expect(project.dataset(named: "people")?.source == "plugin:capita_one")
        #expect(project.sinks.map(\.type) == ["stdout", "file", "webhook"])
        #expect(project.sinks[2].option("format") == "teams")
        #expect(project.sinks[2].location.description == "\(file):34:5")
    }

    @Test func appliesDefaultsWhenKeysAreLeftOut() throws {
        let (config, errors, _) = load(Self.minimalDataset)
        #expect(errors.isEmpty, "\(errors)")
        let project = try #require(config)
        #expect(project.timezone == "Europe/London")
        #expect(project.yearStart == YearStart(month: 1, day: 1))
        #expect(project.statePath == "\(fixture.directory)/.kpiwatch/state.sqlite")
        #expect(project.asOf == nil)
        #expect(project.ruleFiles.isEmpty)
        let dataset = try #require(project.datasets.first)
        #expect(dataset.nullValues == [""])
        #expect(dataset.onBadRows == .fail)
        #expect(dataset.errorLimit == 20)
        #expect(dataset.maxAge == nil)
        #expect(
            dataset.fields == [FieldSpec(name: "case_id", column: "Case Ref", location: dataset.fields[0].location)])
    }

    @Test func keepsPathsShortForAProjectFileNamedWithoutAFolder() {
        let config = ProjectConfig(file: "kpiwatch.yaml", directory: ".")
        #expect(config.resolve("rules/a.yaml") == "rules/a.yaml")
        #expect(config.resolve("/abs/a.yaml") == "/abs/a.yaml")
    }

    @Test func expandsEnvironmentVariablesAndFilesInAnyString() throws {
        fixture.write("secrets/token.txt", "s3cret\n")
        let (config, errors, _) = load(
            """
            \(Self.minimalDataset)sinks:
              - type: webhook
                url: "https://${env:HOOK_HOST}/hooks/${file:secrets/token.txt}?team=${env:TEAM}"
                title: costs $5, not $${env:X}
            """, environment: ["HOOK_HOST": "example.invalid", "TEAM": "north"])
        #expect(errors.isEmpty, "\(errors)")
        let sink = try #require(config?.sinks.first)
        #expect(sink.option("url") == "https://example.invalid/hooks/s3cret?team=north")
        #expect(sink.option("title") == "costs $5, not ${env:X}")
    }

    @Test func reportsAMissingEnvironmentVariableAtItsScalar() {
        let (_, errors, file) = load(
            """
            \(Self.minimalDataset)sinks:
              - type: webhook
                url: ${env:TEAMS_WEBHOOK_URL}
            """)
        expectConfigError(
            errors, at: "\(file):9:10", "environment variable TEAMS_WEBHOOK_URL is not set",
            hint: "set TEAMS_WEBHOOK_URL in the environment kpiwatch runs in, or write the value in place of "
                + "${env:TEAMS_WEBHOOK_URL}")
    }

    @Test func reportsAMissingInterpolatedFile() {
        let (_, errors, file) = load("\(Self.minimalDataset)sinks:\n  - type: webhook\n    url: \"${file:nope.txt}\"\n")
        expectConfigError(
            errors, at: "\(file):9:10", "file 'nope.txt' named by ${file:nope.txt} cannot be read",
            hint: "paths in ${file:…} are relative to the project file; looked for \(fixture.path("nope.txt"))")
    }

    @Test func reportsAnUnknownOrUnterminatedReference() {
        let (_, errors, file) = load("timezone: ${vault:tz}\nstate: \"${env:STATE\"\n\(Self.minimalDataset)")
        #expect(errors.count == 2)
        #expect(errors.map(\.location?.description) == ["\(file):1:11", "\(file):2:8"])
        #expect(errors.map(\.message) == ["unknown reference '${vault:tz}'", "'${env:STATE' has no closing '}'"])
        #expect(errors[0].hint == "write ${env:NAME} or ${file:PATH}; write $${ for a literal ${")
    }

    @Test func reportsAMissingProjectFile() {
        let missing = fixture.path("nowhere.yaml")
        let errors = ConfigFixture.errors { try Engine.standard().loadConfig(path: missing) }
        #expect(errors.count == 1)
        #expect(errors.first?.message == "project file '\(missing)' does not exist")
        #expect(errors.first?.place == missing)
    }

    @Test func reportsAnEmptyProjectFile() {
        let (_, errors, file) = load("# nothing yet\n")
        expectConfigError(
            errors, at: "\(file):1:1", "the project file is empty",
            hint: "start it with 'version: 1' and a 'datasets:' mapping")
    }

    @Test func reportsAProjectFileThatIsNotAMapping() {
        let (_, errors, file) = load("- version: 1\n")
        expectConfigError(errors, at: "\(file):1:1", "the project file must be a mapping of keys to values; got a list")
    }

    @Test func reportsYAMLSyntaxErrorsAtTheirPosition() {
        let (_, errors, file) = load("version: 1\ndatasets:\n  cases:\n    source: csv\n   path: x.csv\n")
        #expect(errors.count == 1)
        #expect(errors.first?.location?.description == "\(file):5:4")
        #expect(errors.first?.message.hasPrefix("YAML syntax error: ") == true)
    }

    @Test func reportsTabIndentation() {
        let (_, errors, file) = load("version: 1\ndatasets:\n\tcases: {}\n")
        #expect(errors.count == 1)
        #expect(errors.first?.location?.description == "\(file):3:1")
        #expect(errors.first?.hint == "indent with spaces: YAML does not allow tabs for indentation")
    }

    @Test func reportsADuplicateKeyAtItsSecondOccurrence() {
        let (_, errors, file) = load(
            """
            version: 1
            datasets:
              cases:
                source: csv
                path: a.csv
                fields: { case_id: Ref }
                path: b.csv
            """)
        expectConfigError(
            errors, at: "\(file):7:5", "duplicate key 'path'",
            hint: "a key may appear only once in a mapping; first defined at \(file):5:5")
    }

    @Test func reportsAnUnknownKeyWithTheNearestValidOne() {
        let (_, errors, file) = load("timezon: Europe/London\n\(Self.minimalDataset)")
        expectConfigError(
            errors, at: "\(file):1:1", "unknown key 'timezon' in the project file", hint: "did you mean 'timezone'?")
    }

    @Test func listsTheValidKeysWhenNoneIsNear() {
        let (_, errors, _) = load("colour: blue\n\(Self.minimalDataset)")
        #expect(
            errors.first?.hint
                == "valid keys: as_of, benchmarks, datasets, plugins, report, rules, sinks, state, timezone, version, year_start"
        )
    }

    @Test func reportsAVersionOtherThanOne() {
        let (_, errors, file) = load("version: 2\n\(Self.minimalDataset)")
        expectConfigError(
            errors, at: "\(file):1:10", "'version' must be 1; got '2'",
            hint: "this kpiwatch reads version 1 project files")
    }

    @Test func reportsAnUnknownTimeZone() {
        let (_, errors, file) = load("timezone: Europe/Londn\n\(Self.minimalDataset)")
        expectConfigError(
            errors, at: "\(file):1:11", "unknown time zone 'Europe/Londn'", hint: "did you mean 'Europe/London'?")
    }

    @Test func reportsABadYearStart() {
        let (_, errors, file) = load("year_start: \"02-30\"\n\(Self.minimalDataset)")
        expectConfigError(
            errors, at: "\(file):1:13", "'year_start' must be a month and day written \"MM-DD\"; got '02-30'",
            hint: "for example \"09-01\" for an academic year, \"04-01\" for a financial year")
    }

    @Test func reportsABadAsOfDate() {
        let (_, errors, file) = load("as_of: 31/03/2023\n\(Self.minimalDataset)")
        expectConfigError(
            errors, at: "\(file):1:8", "'as_of' must be a date written yyyy-MM-dd; got '31/03/2023'",
            hint: "for example as_of: 2023-03-31")
    }

    @Test func reportsARulePathThatDoesNotExistWithTheNearestName() {
        fixture.write("rules/send/a.yaml", "kpis: []\n")
        let (_, errors, file) = load("rules:\n  - rules/sned\n\(Self.minimalDataset)")
        expectConfigError(
            errors, at: "\(file):2:5", "'rules/sned' in 'rules' does not exist", hint: "did you mean 'rules/send'?")
    }

    @Test func reportsABenchmarkPathThatDoesNotExist() {
        let (_, errors, file) = load("benchmarks: [bench/national.yaml]\n\(Self.minimalDataset)")
        expectConfigError(
            errors, at: "\(file):1:14", "'bench/national.yaml' in 'benchmarks' does not exist",
            hint: "paths are relative to the project file's folder; looked for \(fixture.path("bench/national.yaml"))")
    }

    @Test func reportsARuleFolderWithNoRuleFiles() {
        fixture.makeFolder("rules")
        let (_, errors, file) = load("rules: rules\n\(Self.minimalDataset)")
        expectConfigError(
            errors, at: "\(file):1:8", "folder 'rules' in 'rules' holds no .yaml or .yml files",
            hint: "add rule files to it, or name the files themselves")
    }

    @Test func readsAFileNamedTwiceOnce() throws {
        fixture.write("rules/a.yaml", "kpis: []\n")
        let (config, errors, _) = load("rules: [rules, rules/a.yaml]\n\(Self.minimalDataset)")
        #expect(errors.isEmpty)
        #expect(config?.ruleFiles == [fixture.path("rules/a.yaml")])
    }

    @Test func reportsADatasetWithoutSourceOrFields() {
        let (_, errors, file) = load("datasets:\n  cases:\n    path: a.csv\n")
        #expect(errors.count == 2)
        #expect(errors.map(\.location?.description) == ["\(file):3:5", "\(file):3:5"])
        #expect(errors.map(\.message) == ["dataset 'cases' has no 'source'", "dataset 'cases' has no 'fields'"])
        #expect(errors[0].hint == "valid sources: csv, http, json, jsonl, postgres, sqlite, xlsx, plugin:NAME")
    }

    @Test func reportsAnUnknownSource() {
        let (_, errors, file) = load("datasets:\n  cases:\n    source: cvs\n    path: a.csv\n    fields: {a: A}\n")
        expectConfigError(
            errors, at: "\(file):3:13", "unknown source 'cvs' in dataset 'cases'", hint: "did you mean 'csv'?")
    }

    @Test func reportsAKeyThatBelongsToAnotherSource() {
        let (_, errors, file) = load(
            "datasets:\n  cases:\n    source: csv\n    path: a.csv\n    sheet: 2\n    fields: {a: A}\n")
        expectConfigError(
            errors, at: "\(file):5:5", "unknown key 'sheet' in dataset 'cases'",
            hint: "a csv source reads path, delimiter; 'sheet' belongs to other sources")
    }

    @Test func reportsAMisspeltDatasetKey() {
        let (_, errors, file) = load(
            "datasets:\n  cases:\n    source: csv\n    path: a.csv\n    null_value: [NA]\n    fields: {a: A}\n")
        expectConfigError(
            errors, at: "\(file):5:5", "unknown key 'null_value' in dataset 'cases'",
            hint: "did you mean 'null_values'?")
    }

    @Test func reportsAMissingRequiredSourceKey() {
        let (_, errors, file) = load("datasets:\n  db:\n    source: sqlite\n    path: a.db\n    fields: {a: A}\n")
        expectConfigError(
            errors, at: "\(file):3:5", "dataset 'db' has no 'query'",
            hint: "a sqlite source needs 'query': the SQL query whose rows are the records")
    }

    @Test func reportsAFieldNameThatIsNotAnIdentifier() {
        let (_, errors, file) = load(
            "datasets:\n  cases:\n    source: csv\n    path: a.csv\n    fields:\n      Case Ref: Case Ref\n")
        expectConfigError(
            errors, at: "\(file):6:7", "field name 'Case Ref' is not an identifier",
            hint: "a field name starts with a letter or _ and holds only letters, digits and _; "
                + "for example case_ref: { column: \"Case Ref\" }")
    }

    @Test func reportsAnUnknownFieldTypeListingTheTypes() {
        let (_, errors, file) = load(
            "datasets:\n  cases:\n    source: csv\n    path: a.csv\n    fields:\n"
                + "      n: { column: N, type: integer }\n"
        )
        expectConfigError(
            errors, at: "\(file):6:29", "'type' must be one of string, int, number, date, bool; got 'integer'")
    }

    @Test func reportsAnUnknownFieldKey() {
        let (_, errors, file) = load(
            "datasets:\n  cases:\n    source: csv\n    path: a.csv\n    fields:\n      n: { colum: N }\n")
        expectConfigError(
            errors, at: "\(file):6:12", "unknown key 'colum' in field 'n'", hint: "did you mean 'column'?")
    }

    @Test func reportsAFieldGivenAsAList() {
        let (_, errors, file) = load(
            "datasets:\n  cases:\n    source: csv\n    path: a.csv\n    fields:\n      n: [N]\n")
        expectConfigError(
            errors, at: "\(file):6:10",
            "field 'n' must be a column name or a mapping {column, type, key, personal}; got a list")
    }

    @Test func reportsEmptyFields() {
        let (_, errors, file) = load("datasets:\n  cases:\n    source: csv\n    path: a.csv\n    fields: {}\n")
        expectConfigError(errors, at: "\(file):5:13", "dataset 'cases' has no fields")
    }

    @Test func reportsABadMaxAge() {
        let (_, errors, file) = load("\(Self.minimalDataset)    max_age: 3 days\n")
        expectConfigError(
            errors, at: "\(file):7:14", "'max_age' must be a duration such as 90m, 36h, 3d or 2w; got '3 days'",
            hint: "a number followed by s, m, h, d or w (seconds, minutes, hours, days, weeks)")
    }

    @Test func reportsExtractedAtNamingNoDateField() {
        let (_, errors, file) = load(
            """
            datasets:
              cases:
                source: csv
                path: a.csv
                extracted_at: exported
                fields: { exported: { column: Exported, type: string }, run: { type: date } }
              other:
                source: csv
                path: b.csv
                extracted_at: exportd
                fields: { exported: { column: Exported, type: date } }
            """)
        #expect(errors.count == 2)
        #expect(errors.map(\.location?.description) == ["\(file):5:19", "\(file):10:19"])
        #expect(
            errors.map(\.message) == [
                "'extracted_at' must name a date field; 'exported' is string",
                "'extracted_at' names no field of dataset 'other': 'exportd'",
            ])
        #expect(errors[1].hint == "did you mean 'exported'?")
    }

    @Test func reportsBadRowPolicyAndErrorLimit() {
        let (_, errors, file) = load("\(Self.minimalDataset)    on_bad_rows: ignore\n    error_limit: 0\n")
        #expect(errors.count == 2)
        #expect(errors.map(\.location?.description) == ["\(file):7:18", "\(file):8:18"])
        #expect(
            errors.map(\.message) == [
                "'on_bad_rows' must be one of fail, skip; got 'ignore'",
                "'error_limit' must be a whole number ≥ 1; got '0'",
            ])
    }

    @Test func reportsNullValuesThatAreNotText() {
        let (_, errors, file) = load("\(Self.minimalDataset)    null_values: [N/A, {x: 1}]\n")
        expectConfigError(errors, at: "\(file):7:24", "each item of 'null_values' must be text; got a mapping")
    }

    @Test func reportsASinkWithoutType() {
        let (_, errors, file) = load("\(Self.minimalDataset)sinks:\n  - path: out.jsonl\n")
        expectConfigError(
            errors, at: "\(file):8:5", "a sink has no 'type'", hint: "valid types: stdout, file, webhook, plugin:NAME")
    }

    @Test func reportsAnUnknownSinkType() {
        let (_, errors, file) = load("\(Self.minimalDataset)sinks:\n  - type: stdot\n  - type: slack\n")
        #expect(errors.count == 2)
        #expect(errors.map(\.location?.description) == ["\(file):8:11", "\(file):9:11"])
        #expect(errors.map(\.message) == ["unknown sink type 'stdot'", "unknown sink type 'slack'"])
        #expect(
            errors.map(\.hint) == [
                "did you mean 'stdout'?",
                "'slack' is a format of the webhook sink: write 'type: webhook' with 'format: slack'",
            ])
    }

    @Test func reportsEveryErrorOfTheFileAtOnce() {
        let (_, errors, _) = load(
            """
            version: 3
            timezone: Mars/Olympus
            datasets:
              cases:
                source: csv
                fields: { 9lives: A }
            sinks:
              - type: pager
            """)
        #expect(errors.count == 5, "\(errors)")
        #expect(errors.map { $0.location?.line ?? 0 } == [1, 2, 5, 6, 8])
    }

    @Test func parsesDurations() {
        #expect(DurationParser.seconds("90m") == 5_400)
        #expect(DurationParser.seconds("36h") == 129_600)
        #expect(DurationParser.seconds("2w") == 1_209_600)
        #expect(DurationParser.seconds("1d12h") == 129_600)
        #expect(DurationParser.seconds("1.5d") == 129_600)
        #expect(DurationParser.seconds("3") == nil)
        #expect(DurationParser.seconds("0d") == nil)
        #expect(DurationParser.seconds("d") == nil)
        #expect(DurationParser.seconds("3 days") == nil)
    }
}
