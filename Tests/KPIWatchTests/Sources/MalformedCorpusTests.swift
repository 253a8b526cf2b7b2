import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchPlugins

/// The malformed-input corpus (issue 8): every file under Fixtures/malformed/ is read as what its folder says and
/// must give the error its `.expected` file names — the location (file:line:column, or file and row) and a fragment
/// of the message — never a crash and never a clean load. scripts/make-malformed-corpus.py writes the corpus.
@Suite struct MalformedCorpusTests {
    static let root = TestPaths.fixture("malformed")

    /// Every case, as `kind/file` (the folder is the kind).
    static let cases: [String] = {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let item = enumerator.nextObject() as? String {
            if item.contains("/"), !item.hasSuffix(".expected") { found.append(item) }
        }
        return found.sorted()
    }()

    @Test func theCorpusHoldsAtLeastTwoHundredCasesOfEveryKind() {
        #expect(Self.cases.count >= 200)
        let kinds = Set(Self.cases.map { String($0.split(separator: "/")[0]) })
        #expect(kinds == ["csv", "expressions", "json", "jsonl", "plugin", "project", "rules", "xlsx"])
    }

    @Test(arguments: cases)
    func eachCaseGivesItsLocatedError(_ relative: String) throws {
        let expected = try Expectation(Self.root + "/" + relative + ".expected")
        let errors = try MalformedCase(relative).errors()
        #expect(!errors.isEmpty, "no error for \(relative)")
        let matching = errors.filter {
            $0.contains(expected.location) && (expected.fragment.isEmpty || $0.contains(expected.fragment))
        }
        #expect(
            !matching.isEmpty,
            "\(relative): expected \(expected.location) … \(expected.fragment); got:\n\(errors.joined(separator: "\n"))"
        )
        // Whatever the error echoes from the file, it carries no raw control character.
        #expect(errors.allSatisfy { !$0.unicodeScalars.contains { String.needsEscape($0) } })
    }

    /// A sample through the built executable, as a user meets them: exit 3 and the same location on stderr.
    @Test(
        arguments: cases.enumerated().filter { $0.offset % 6 == 0 && !$0.element.hasPrefix("plugin/") }.map(\.element))
    func theExecutableExitsThreeWithTheLocation(_ relative: String) throws {
        let expected = try Expectation(Self.root + "/" + relative + ".expected")
        let project = try MalformedCase(relative).project()
        let result = try runKPIWatch(["check", "--config", project.config])
        #expect(result.status == 3, "\(relative): \(result.stderr)")
        #expect(result.stderr.contains(expected.location), "\(relative): \(result.stderr)")
    }
}

struct Expectation {
    var location: String
    var fragment: String

    init(_ path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        location = String(lines[0])
        fragment = lines.count > 1 ? String(lines[1]) : ""
    }
}

/// One corpus file placed where its kind is read: as the project file, the rule file, a KPI's `where`, or the
/// dataset's file; plugin output is read by the plugin protocol reader.
struct MalformedCase {
    let kind: String
    let file: String

    init(_ relative: String) {
        kind = String(relative.split(separator: "/")[0])
        file = MalformedCorpusTests.root + "/" + relative
    }

    static let fields = """
            fields:
              id: { column: id, key: true }
              opened: { column: opened, type: date }
              n: { column: n, type: number }
              i: { column: i, type: int }
              team: team

        """

    /// A project folder around the file.
    func project() throws -> HostileProject {
        let contents = try Data(contentsOf: URL(fileURLWithPath: file))
        let text = String(decoding: contents, as: UTF8.self)
        let kpi = allTimeKPI("x", value: "count()")
        switch kind {
        case "rules":
            let project = HostileProject(rules: kpi)
            try contents.write(to: URL(fileURLWithPath: project.directory.path + "/rules.yaml"))
            return project
        case "expressions":
            let rules =
                kpi + "    where: |-\n" + text.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
            return HostileProject(rules: rules + "\n")
        case "project":
            let project = HostileProject(rules: kpi)
            try contents.write(to: URL(fileURLWithPath: project.config))
            return project
        case "csv":
            let project = HostileProject(rules: kpi)
            try contents.write(to: URL(fileURLWithPath: project.directory.path + "/data.csv"))
            return project
        default:
            let project = HostileProject(rules: kpi, path: "data.\(kind)")
            let config = try String(contentsOfFile: project.config, encoding: .utf8)
                .replacingOccurrences(of: "source: csv", with: "source: \(kind)")
                .replacingOccurrences(of: "    date_format: dd/MM/yyyy\n", with: "")
                .replacingOccurrences(
                    of: "    path: data.\(kind)\n", with: "    path: data.\(kind)\n    date_format: dd/MM/yyyy\n")
            try config.write(toFile: project.config, atomically: true, encoding: .utf8)
            try contents.write(to: URL(fileURLWithPath: project.directory.path + "/data.\(kind)"))
            return project
        }
    }

    /// Every error reported for the file, as printed.
    func errors() throws -> [String] {
        if kind == "plugin" { return try pluginErrors() }
        let project = try self.project()
        let engine = Engine.standard()
        let found = engine.validate(configPath: project.config, environment: [:]).map(\.description)
        if !found.isEmpty { return found }
        let loaded = try engine.load(configPath: project.config, environment: [:])
        let evaluation = try engine.evaluate(loaded, asOf: Day(iso: "2024-03-15")!)
        return evaluation.datasets.flatMap(\.problems).map(\.description)
    }

    /// Plugin output read line by line as `PluginSource` reads it: the header, then records.
    private func pluginErrors() throws -> [String] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var header: PluginHeader?
        for (index, line) in text.split(separator: "\n").enumerated() {
            do {
                if let header {
                    _ = try header.record(line: Data(line.utf8), number: index + 1, plugin: "corpus")
                } else {
                    header = try PluginHeader(line: Data(line.utf8), number: index + 1, plugin: "corpus")
                }
            } catch let error as Diagnostic {
                return [error.description]
            }
        }
        return []
    }
}
