import Foundation
import Testing
import Yams

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// Temporary project folders holding CSV files, and datasets that point at them.
enum CSVFixtures {
    static func project(bytes files: [String: [UInt8]]) throws -> ProjectConfig {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("kpiwatch-csv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        for (name, bytes) in files {
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        return ProjectConfig(file: folder + "/kpiwatch.yaml", directory: folder)
    }

    static func project(files: [String: String]) throws -> ProjectConfig {
        try project(bytes: files.mapValues { Array($0.utf8) })
    }

    /// A dataset whose mapping is `options` (YAML), e.g. `path: data/a.csv`.
    static func dataset(
        _ options: String, fields: [FieldSpec] = [], nullValues: [String] = [""], dateFormat: String? = nil,
        onBadRows: BadRowPolicy = .fail, errorLimit: Int = 20
    ) throws -> DatasetConfig {
        let node = try Yams.compose(yaml: options) ?? Node.mapping(Node.Mapping([]))
        return DatasetConfig(
            name: "assessments", source: "csv", fields: fields, nullValues: nullValues, dateFormat: dateFormat,
            onBadRows: onBadRows, errorLimit: errorLimit, node: ConfigNode(node: node, file: "kpiwatch.yaml"),
            location: SourceLocation(file: "kpiwatch.yaml", line: 5, column: 3))
    }

    static func field(_ name: String, _ column: String, _ type: FieldType = .string, line: Int = 10) -> FieldSpec {
        FieldSpec(
            name: name, column: column, type: type,
            location: SourceLocation(file: "kpiwatch.yaml", line: line, column: 7))
    }

    static func source(_ text: String, options: String = "") throws -> CSVSource {
        let project = try project(files: ["data/a.csv": text])
        return try CSVSource(dataset: dataset("path: data/a.csv\n" + options), project: project)
    }
}

@Suite struct CSVSourceTests {
    func rows(_ source: CSVSource, _ columns: [String]) throws -> [SourceRow] {
        var rows: [SourceRow] = []
        try source.scan(columns: columns) { rows.append($0) }
        return rows
    }

    @Test func readsTrimmedHeaderNames() throws {
        let source = try CSVFixtures.source(" Case Ref , \" Team \",Request Received\nC1,North,01/02/2023\n")
        #expect(try source.columnNames() == ["Case Ref", "Team", "Request Received"])
        #expect(source.origin == "data/a.csv")
    }

    @Test func readsHeaderWithQuotedNewlineWithoutReadingTheRest() throws {
        var text = "\"Case\nRef\",Team\n"
        for index in 0..<20_000 { text += "C\(index),North\n" }
        let source = try CSVFixtures.source(text)
        #expect(try source.columnNames() == ["Case\nRef", "Team"])
    }

    @Test func projectsRequestedColumnsInRequestedOrder() throws {
        let source = try CSVFixtures.source("a,b,c\n1,2,3\n4,5,6\n")
        let rows = try rows(source, ["c", "a"])
        #expect(rows.map(\.cells) == [[.text("3"), .text("1")], [.text("6"), .text("4")]])
        #expect(rows.map(\.number) == [2, 3])
    }

    /// Issue 8: a row with fewer fields than the header is a bad row (a lost field shifts the rest), not a row
    /// whose last cells are empty; empty fields written out are fine.
    @Test func shortRowsAreAProblemOfThatRow() throws {
        let source = try CSVFixtures.source("a,b,c\n1\n1,,\n")
        let rows = try rows(source, ["a", "b", "c"])
        #expect(rows[0].cells == [.text("1"), .missing, .missing])
        #expect(rows[0].problem?.contains("the row has 1 field but the header has 3 columns") == true)
        #expect(rows[1].cells == [.text("1"), .text(""), .text("")])
        #expect(rows[1].problem == nil)
    }

    @Test func longRowsAreAProblemOfThatRow() throws {
        let source = try CSVFixtures.source("a,b\n1,2\n3,4,5\n6,7,,\n")
        let rows = try rows(source, ["a", "b"])
        #expect(rows.count == 3)
        #expect(rows[0].problem == nil)
        #expect(rows[1].problem?.contains("3 fields but the header has 2 columns") == true)
        // Empty trailing fields are only trailing delimiters.
        #expect(rows[2].problem == nil)
    }

    @Test func skipsRecordsWithOnlyEmptyFields() throws {
        let source = try CSVFixtures.source("a,b\n1,2\n,\n , \"\"\n3,4\n")
        #expect(try rows(source, ["a"]).map(\.number) == [2, 5])
    }

    @Test func duplicateHeaderNamesAreAnErrorNamingBothColumns() throws {
        let source = try CSVFixtures.source("Team,Case Ref,Team \nNorth,C1,South\n")
        let error = #expect(throws: Diagnostic.self) { try source.columnNames() }
        #expect(error?.message == "columns 1 and 3 of data/a.csv are both named \"Team\"")
    }

    @Test func readsSemicolonAndTabDelimitedFiles() throws {
        let semicolon = try CSVFixtures.source("a;b\n1,5;x\n", options: "delimiter: ';'")
        #expect(try rows(semicolon, ["a", "b"])[0].cells == [.text("1,5"), .text("x")])
        for written in ["tab", "'\\t'", "\"\\t\""] {
            let tab = try CSVFixtures.source("a\tb\n1,5\tx\n", options: "delimiter: \(written)")
            #expect(tab.delimiter == 9)
            #expect(try rows(tab, ["a", "b"])[0].cells == [.text("1,5"), .text("x")])
        }
    }

    @Test func rejectsADelimiterOfMoreThanOneCharacter() throws {
        let project = try CSVFixtures.project(files: ["data/a.csv": "a\n"])
        let dataset = try CSVFixtures.dataset("path: data/a.csv\ndelimiter: ';;'")
        let error = #expect(throws: Diagnostic.self) { try CSVSource(dataset: dataset, project: project) }
        #expect(error?.location?.line == 2)
        #expect(error?.hint?.contains("tab") == true)
    }

    @Test func missingPathIsAnErrorAtTheDataset() throws {
        let project = try CSVFixtures.project(files: [String: String]())
        let dataset = try CSVFixtures.dataset("delimiter: ','")
        let error = #expect(throws: Diagnostic.self) { try CSVSource(dataset: dataset, project: project) }
        #expect(error?.location == dataset.location)
        #expect(error?.message.contains("has no path") == true)
    }

    @Test func missingFileIsAnErrorNamingTheResolvedPath() throws {
        let project = try CSVFixtures.project(files: ["data/assessments.csv": "a\n"])
        let dataset = try CSVFixtures.dataset("source: csv\npath: data/asessments.csv")
        let error = #expect(throws: Diagnostic.self) { try CSVSource(dataset: dataset, project: project) }
        #expect(error?.message.contains(project.directory + "/data/asessments.csv") == true)
        #expect(error?.location?.line == 2)
        #expect(error?.hint == "did you mean \"assessments.csv\"?")
    }

    @Test func unterminatedQuoteNamesFileAndRow() throws {
        let source = try CSVFixtures.source("a,b\n1,2\n\n3,\"never closed\n4,5\n")
        let error = #expect(throws: Diagnostic.self) { try rows(source, ["a"]) }
        #expect(error?.place == "data/a.csv, row 4")
    }

    @Test func extractedAtIsTheFileModificationTime() throws {
        let source = try CSVFixtures.source("a\n1\n")
        // A known moment, not "within a minute of now", which a slow enough run would pass.
        let extracted = Date(timeIntervalSince1970: 1_793_000_000)
        try FileManager.default.setAttributes([.modificationDate: extracted], ofItemAtPath: source.path)
        #expect(source.extractedAt() == extracted)
    }

    @Test func factoryBuildsTheSource() throws {
        let project = try CSVFixtures.project(files: ["data/a.csv": "a\n1\n"])
        let source = try CSVSource.factory(try CSVFixtures.dataset("path: data/a.csv"), project)
        #expect(try source.columnNames() == ["a"])
    }

    /// Through the executable: with `delimiter: " "` a missing value between two spaces is an empty field, so the
    /// row keeps its five columns (it had four, and check refused it as too short).
    @Test func aSpaceSeparatedFileKeepsItsEmptyFields() throws {
        let project = HostileProject(
            rules: allTimeKPI("empty_n", value: "count(n is null)"),
            csv: "id opened n i team\nC1 05/01/2024  1 North\nC2 06/01/2024 2 2 South\n", extra: "    delimiter: \" \"")
        let result = try project.run("check", ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(HostileProject.value(of: "empty_n", in: result) as? Double == 1, "\(result.stdout)")
    }
}
