import Foundation
import KPIWatchCore
import Yams

/// Reads a rule test file the way the rule loader reads a rule file: on the YAML node tree, every mistake
/// reported at once with its file, line and column and what would be valid. Names are checked against the
/// project the file points at (datasets, fields, KPI and case-alert ids), so a misspelt id is a load error,
/// not a test that can never pass.
public enum RuleTestLoader {
    package static let fileKeys = ["project", "tests"]
    package static let testKeys = ["name", "as_of", "data", "expect_kpis", "expect_alerts", "only_expected_alerts"]
    package static let kpiKeys = ["id", "value", "state", "period", "group", "count", "tolerance"]
    package static let alertKeys = ["rule", "key", "severity", "group"]
    package static let severities = AlertSeverity.allCases.map(\.rawValue)

    /// Throws `Diagnostics` with every error in the file (or in the project it names).
    public static func load(path: String, engine: Engine) throws -> RuleTestFile {
        let document = try YAMLDocument.read(path: path, what: "test file")
        var diagnostics = DiagnosticCollector()
        guard let root = document.root,
            let top = YAMLMapping(root, in: document, subject: "the test file", &diagnostics)
        else {
            if document.root == nil {
                diagnostics.add(
                    Diagnostic(
                        "test file '\(path)' is empty", place: path,
                        hint: "write 'project: ../kpiwatch.yaml' and a 'tests:' list"))
            }
            throw Diagnostics(diagnostics.items)
        }
        top.checkKeys(fileKeys, &diagnostics)
        guard let written = top.string("project", &diagnostics) else {
            top.missing(
                "project", hint: "name the project file, relative to this file: project: ../kpiwatch.yaml", &diagnostics
            )
            throw Diagnostics(inReadingOrder(diagnostics.items))
        }
        let folder = (path as NSString).deletingLastPathComponent
        let projectPath =
            written.hasPrefix("/") || folder.isEmpty ? written : (folder as NSString).appendingPathComponent(written)
        let project: LoadedProject
        do {
            project = try engine.load(configPath: projectPath, includingSinks: false)
        } catch let error as Diagnostics {
            throw Diagnostics(
                [Diagnostic("the project '\(written)' could not be loaded", at: top.valueLocation("project"))]
                    + error.items)
        }
        let reader = TestReader(document: document, project: project, folder: folder)
        let items = top.list("tests", &diagnostics)
        if top.value("tests") == nil {
            top.missing(
                "tests", hint: "add a list of tests, each with name, as_of, data and expectations", &diagnostics)
        }
        var tests: [RuleTest] = []
        var names: [String: SourceLocation] = [:]
        for item in items {
            guard let test = reader.test(item, &diagnostics) else { continue }
            if let first = names[test.name] {
                diagnostics.add(
                    Diagnostic(
                        "two tests are named '\(test.name)'", at: test.location,
                        hint: "give each test its own name, so a failure says which one; the first is at \(first)"))
            }
            names[test.name] = test.location
            tests.append(test)
        }
        try diagnostics.throwIfAny()
        return RuleTestFile(file: path, project: project, tests: tests)
    }
}

/// Reads the items of one test file against its project.
private struct TestReader {
    let document: YAMLDocument
    let project: LoadedProject
    let folder: String

    func test(_ node: Node, _ diagnostics: inout DiagnosticCollector) -> RuleTest? {
        guard let mapping = YAMLMapping(node, in: document, subject: "a test", &diagnostics) else { return nil }
        mapping.checkKeys(RuleTestLoader.testKeys, &diagnostics)
        let name = mapping.string("name", &diagnostics)
        if name == nil {
            mapping.missing(
                "name", hint: "say what the test shows: name: a case past 52 weeks is critical", &diagnostics)
        }
        let subject = "test '\(name ?? "?")'"
        let asOf = dates(mapping, subject: subject, &diagnostics)
        var data: [String: TestData] = [:]
        if let given = mapping.mapping("data", subject: "'data' of \(subject)", &diagnostics) {
            given.checkKeys(project.config.datasets.map(\.name), &diagnostics)
            for entry in given.entries {
                guard let dataset = project.config.dataset(named: entry.key) else { continue }
                if let records = testData(entry.value, dataset: dataset, &diagnostics) { data[entry.key] = records }
            }
        }
        let kpis = mapping.list("expect_kpis", &diagnostics).compactMap { kpiExpectation($0, &diagnostics) }
        let alerts = mapping.list("expect_alerts", &diagnostics).compactMap { alertExpectation($0, &diagnostics) }
        let only = mapping.bool("only_expected_alerts", &diagnostics) == true
        if kpis.isEmpty && alerts.isEmpty && !only {
            diagnostics.add(
                Diagnostic(
                    "\(subject) expects nothing", at: mapping.location,
                    hint: "add 'expect_kpis:', 'expect_alerts:' or 'only_expected_alerts: true'"))
        }
        guard let name, let asOf else { return nil }
        return RuleTest(
            name: name, location: mapping.location, asOf: asOf, data: data, expectedKPIs: kpis,
            expectedAlerts: alerts, onlyExpectedAlerts: only ? mapping.valueLocation("only_expected_alerts") : nil)
    }

    /// `as_of: 2023-03-31` or a list of dates; the project's own `as_of:` when none is written.
    private func dates(_ mapping: YAMLMapping, subject: String, _ diagnostics: inout DiagnosticCollector) -> [Day]? {
        guard let node = mapping.value("as_of") else {
            if let pinned = project.config.asOf { return [pinned] }
            mapping.missing("as_of", hint: "write the date the test is evaluated on: as_of: 2023-03-31", &diagnostics)
            return nil
        }
        var days: [Day] = []
        for scalar in mapping.scalarList(node, key: "as_of", &diagnostics) {
            guard let day = Day(iso: scalar.string) else {
                diagnostics.add(
                    Diagnostic(
                        "'as_of' of \(subject) must be a date; got '\(scalar.string)'",
                        at: document.location(of: .scalar(scalar)), hint: "write it as yyyy-MM-dd, e.g. 2023-03-31"))
                continue
            }
            days.append(day)
        }
        return days.isEmpty ? nil : days
    }

    /// A list of rows keyed by field name, or `{ file: PATH }`.
    private func testData(_ node: Node, dataset: DatasetConfig, _ diagnostics: inout DiagnosticCollector) -> TestData? {
        let subject = "the data of dataset '\(dataset.name)'"
        switch node {
        case .sequence(let items):
            let fields = dataset.fields.map(\.name)
            var rows: [InlineRow] = []
            for item in items {
                guard let row = YAMLMapping(item, in: document, subject: "a row of \(subject)", &diagnostics) else {
                    continue
                }
                row.checkKeys(fields, &diagnostics)
                var values: [String: String?] = [:]
                for entry in row.entries where fields.contains(entry.key) {
                    if isNull(entry.value) {
                        values[entry.key] = .some(nil)
                    } else if case .scalar(let scalar) = entry.value {
                        values[entry.key] = scalar.string
                    } else {
                        diagnostics.add(
                            Diagnostic(
                                "field '\(entry.key)' must be one value; got \(describe(entry.value))",
                                at: document.location(of: entry.value),
                                hint: "write the cell as the export would hold it, e.g. 2023-01-31 or North"))
                    }
                }
                rows.append(InlineRow(line: row.location.line, values: values))
            }
            return .rows(rows)
        case .mapping:
            guard let mapping = YAMLMapping(node, in: document, subject: subject, &diagnostics) else { return nil }
            mapping.checkKeys(["file"], &diagnostics)
            guard let written = mapping.string("file", &diagnostics) else {
                mapping.missing(
                    "file", hint: "write a list of rows, or { file: fixtures/\(dataset.name).csv }", &diagnostics)
                return nil
            }
            let location = mapping.valueLocation("file")
            guard dataset.option("path") != nil else {
                diagnostics.add(
                    Diagnostic(
                        "dataset '\(dataset.name)' reads from '\(dataset.source)', which has no file to replace",
                        at: location, hint: "give its rows inline, as a list of field: value mappings"))
                return nil
            }
            let resolved =
                written.hasPrefix("/") || folder.isEmpty
                ? written : (folder as NSString).appendingPathComponent(written)
            guard FileManager.default.fileExists(atPath: resolved) else {
                diagnostics.add(
                    Diagnostic("file not found: \(resolved)", at: location, hint: "paths are relative to the test file")
                )
                return nil
            }
            return .file(path: resolved, location: location)
        default:
            diagnostics.add(
                Diagnostic(
                    "\(subject) must be a list of rows or { file: PATH }; got \(describe(node))",
                    at: document.location(of: node),
                    hint: "write rows as '- { \(dataset.fields.first?.name ?? "field"): … }'"))
            return nil
        }
    }

    private func kpiExpectation(_ node: Node, _ diagnostics: inout DiagnosticCollector) -> KPIExpectation? {
        guard let mapping = YAMLMapping(node, in: document, subject: "an item of 'expect_kpis'", &diagnostics) else {
            return nil
        }
        mapping.checkKeys(RuleTestLoader.kpiKeys, &diagnostics)
        let id = knownID("id", in: mapping, ids: project.compiled.kpiIDs, noun: "KPI ids", &diagnostics)
        var value: Double?? = nil
        if let entry = mapping.entry("value") {
            if isNull(entry.value) {
                value = .some(nil)
            } else if let number = number("value", in: mapping, &diagnostics) {
                value = number
            }
        }
        let tolerance = number("tolerance", in: mapping, &diagnostics) ?? KPIExpectation.defaultTolerance
        let state: KPIState? = mapping.choice("state", &diagnostics)
        let count = mapping.int("count", atLeast: 0, &diagnostics)
        let group = groupMapping(mapping, &diagnostics)
        if mapping.entry("value") == nil && state == nil && count == nil && mapping.value("state") == nil
            && mapping.value("count") == nil
        {
            diagnostics.add(
                Diagnostic(
                    "this expectation checks nothing", at: mapping.location,
                    hint: "give the KPI's 'value', 'state' or 'count'"))
        }
        guard let id else { return nil }
        return KPIExpectation(
            id: id, period: mapping.string("period", &diagnostics).flatMap { $0 == "current" ? nil : $0 },
            group: group ?? [:], value: value, tolerance: tolerance, state: state, count: count,
            location: mapping.location)
    }

    private func alertExpectation(_ node: Node, _ diagnostics: inout DiagnosticCollector) -> AlertExpectation? {
        guard let mapping = YAMLMapping(node, in: document, subject: "an item of 'expect_alerts'", &diagnostics) else {
            return nil
        }
        mapping.checkKeys(RuleTestLoader.alertKeys, &diagnostics)
        let ids = project.compiled.kpiIDs + project.compiled.caseAlertIDs
        let rule = knownID("rule", in: mapping, ids: ids, noun: "KPI and case-alert ids", &diagnostics)
        let severity = mapping.string("severity", &diagnostics)
        if let severity, !RuleTestLoader.severities.contains(severity) {
            diagnostics.add(
                Diagnostic(
                    "'severity' must be one of \(RuleTestLoader.severities.joined(separator: ", ")); got '\(severity)'",
                    at: mapping.valueLocation("severity"),
                    hint: suggestion(for: severity, in: RuleTestLoader.severities, noun: "severities")))
        }
        let group = groupMapping(mapping, &diagnostics)
        guard let rule else { return nil }
        return AlertExpectation(
            rule: rule, key: mapping.string("key", &diagnostics), severity: severity.flatMap(AlertSeverity.init),
            group: group,
            location: mapping.location)
    }

    /// `group: { team: North }`: field names to values as text.
    private func groupMapping(_ mapping: YAMLMapping, _ diagnostics: inout DiagnosticCollector) -> [String: String]? {
        guard let group = mapping.mapping("group", subject: "'group'", &diagnostics) else { return nil }
        var values: [String: String] = [:]
        for entry in group.entries {
            guard case .scalar(let scalar) = entry.value else {
                diagnostics.add(
                    Diagnostic(
                        "group field '\(entry.key)' must be one value; got \(describe(entry.value))",
                        at: document.location(of: entry.value), hint: "write it as team: North"))
                continue
            }
            values[entry.key] = isNull(entry.value) ? "(blank)" : scalar.string
        }
        return values
    }

    private func knownID(
        _ key: String, in mapping: YAMLMapping, ids: [String], noun: String, _ diagnostics: inout DiagnosticCollector
    ) -> String? {
        guard let id = mapping.string(key, &diagnostics) else {
            mapping.missing(key, hint: "name one of the project's \(noun)", &diagnostics)
            return nil
        }
        guard ids.contains(id) else {
            diagnostics.add(
                Diagnostic(
                    "'\(id)' is not one of the project's \(noun)", at: mapping.valueLocation(key),
                    hint: suggestion(for: id, in: ids, noun: noun)))
            return nil
        }
        return id
    }

    private func number(_ key: String, in mapping: YAMLMapping, _ diagnostics: inout DiagnosticCollector) -> Double? {
        guard let node = mapping.value(key) else { return nil }
        if case .scalar(let scalar) = node, let number = Double(scalar.string.trimmingCharacters(in: .whitespaces)),
            number.isFinite
        {
            return number
        }
        diagnostics.add(
            Diagnostic(
                "'\(key)' must be a number; got \(describe(node))", at: document.location(of: node),
                hint: "write it without a unit, e.g. 57.5 for 57.5%"))
        return nil
    }
}
