import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

@Suite struct JSONSourceTests {
    func rows(_ source: any Source, _ columns: [String]) throws -> [SourceRow] {
        var rows: [SourceRow] = []
        try source.scan(columns: columns) { rows.append($0) }
        return rows
    }

    func jsonl(_ text: String) throws -> JSONLinesSource {
        let project = try CSVFixtures.project(files: ["data/a.jsonl": text])
        return try JSONLinesSource.factory(CSVFixtures.dataset("path: data/a.jsonl"), project) as! JSONLinesSource
    }

    func json(_ text: String, records: String? = nil) throws -> JSONArraySource {
        let project = try CSVFixtures.project(files: ["data/a.json": text])
        let options = "path: data/a.json" + (records.map { "\nrecords: \($0)" } ?? "")
        return try JSONArraySource.factory(CSVFixtures.dataset(options), project) as! JSONArraySource
    }

    @Test func jsonlReadsNestedKeysByDottedPath() throws {
        let source = try jsonl(
            """
            {"id": "C1", "child": {"id": 7, "team": "North"}}
            {"id": "C2", "child": {"id": 8}}
            """)
        #expect(try source.columnNames() == ["child.id", "child.team", "id"])
        let read = try rows(source, ["id", "child.id", "child.team"])
        #expect(read.map(\.cells) == [[.text("C1"), .int(7), .text("North")], [.text("C2"), .int(8), .missing]])
    }

    @Test func jsonTellsBooleansFromNumbers() throws {
        let source = try jsonl(#"{"a": true, "b": 1, "c": 1.5, "d": 0, "e": false, "f": 1.0, "g": null}"#)
        let read = try rows(source, ["a", "b", "c", "d", "e", "f", "g", "absent"])
        #expect(
            read[0].cells == [
                .bool(true), .int(1), .number(1.5), .int(0), .bool(false), .number(1), .missing, .missing,
            ])
    }

    @Test func jsonlNumbersRowsByLineAndSkipsBlankLines() throws {
        let source = try jsonl("{\"id\": \"C1\"}\n\n{\"id\": \"C3\"}\n")
        #expect(try rows(source, ["id"]).map(\.number) == [1, 3])
    }

    @Test func jsonlBadLineIsAProblemOfThatLineAndReadingGoesOn() throws {
        let source = try jsonl("{\"id\": \"C1\"}\n{\"id\": \"C2\"}\n{\"id\": C3}\n[1]\n{\"id\": \"C5\"}\n")
        let read = try rows(source, ["id"])
        #expect(read.map(\.number) == [1, 2, 3, 4, 5])
        #expect(read[2].problem?.hasPrefix("line 3 is not valid JSON") == true)
        #expect(read[3].problem == "line 4 is an array, not a JSON object")
        #expect(read[4].cells == [.text("C5")])
    }

    @Test func jsonlBadLineBecomesADataErrorNamingFileAndLine() throws {
        let project = try CSVFixtures.project(files: ["data/a.jsonl": "{\"id\": \"C1\"}\n{\"id\": \n"])
        let dataset = try CSVFixtures.dataset("path: data/a.jsonl", fields: [CSVFixtures.field("id", "id")])
        let source = try JSONLinesSource.factory(dataset, project)
        let summary = try DatasetReader(dataset: dataset, source: source).read { _, _ in }
        #expect(summary.errors.first?.place == "data/a.jsonl, row 2")
        #expect(summary.errors.first?.message.contains("line 2 is not valid JSON") == true)
    }

    @Test func jsonValueHoldingAnObjectIsARowProblemNamingItsKeys() throws {
        let source = try jsonl(#"{"child": {"id": 1}}"#)
        let read = try rows(source, ["child"])
        #expect(read[0].problem?.contains("\"child.id\"") == true)
    }

    @Test func jsonReadsTheArrayUnderAKeyPathNumberingRecords() throws {
        let source = try json(
            #"{"meta": {"n": 2}, "data": {"items": [{"id": "A", "n": 2}, {"id": "B", "ok": false}, 3]}}"#,
            records: "data.items")
        #expect(try source.columnNames() == ["id", "n", "ok"])
        let read = try rows(source, ["id", "ok"])
        #expect(read.map(\.number) == [1, 2, 3])
        #expect(read[1].cells == [.text("B"), .bool(false)])
        #expect(read[2].problem == "record 3 is a number, not a JSON object")
    }

    @Test func jsonReadsATopLevelArray() throws {
        let source = try json(#"[{"id": "A"}, {"id": "B"}]"#)
        #expect(try rows(source, ["id"]).map(\.cells) == [[.text("A")], [.text("B")]])
    }

    @Test func jsonWrongKeyPathSuggestsTheNearestKey() throws {
        let source = try json(#"{"data": {"items": []}}"#, records: "data.itemz")
        let error = #expect(throws: Diagnostic.self) { try source.columnNames() }
        #expect(error?.message == "records: \"data.itemz\": no key \"data.itemz\" in data/a.json")
        #expect(error?.hint == "did you mean \"data.items\"?")
    }

    @Test func jsonObjectWithoutRecordsKeySaysWhereArraysAre() throws {
        let source = try json(#"{"page": 1, "results": [{"id": 1}]}"#)
        let error = #expect(throws: Diagnostic.self) { try source.columnNames() }
        #expect(error?.hint?.contains("arrays are at: results") == true)
    }

    @Test func invalidJSONDocumentIsAnErrorNamingTheFile() throws {
        let source = try json("[{\"id\": 1},")
        let error = #expect(throws: Diagnostic.self) { try source.columnNames() }
        #expect(error?.message.hasPrefix("data/a.json is not valid JSON") == true)
    }

    @Test func jsonDatasetEvaluatesThroughTheEngine() throws {
        let folder = TemporaryDirectory()
        folder.write(
            "data/cases.jsonl",
            """
            {"case": {"id": "C1"}, "team": "North", "open": true}
            {"case": {"id": "C2"}, "team": "South", "open": false}
            {"case": {"id": "C3"}, "team": "North", "open": true}
            """)
        folder.write(
            "rules/open.yaml",
            """
            kpis:
              - id: open_cases
                title: Open cases
                dataset: cases
                period: all
                value: count(open)
                unit: count
            """)
        let project = folder.write(
            "kpiwatch.yaml",
            """
            version: 1
            rules: [rules]
            datasets:
              cases:
                source: jsonl
                path: data/cases.jsonl
                fields:
                  case_id: { column: case.id, key: true }
                  team: team
                  open: { column: open, type: bool }
            """)
        let evaluation = try evaluateProject(project, asOf: "2024-01-31")
        #expect(evaluation.current("open_cases")?.value == 2)
    }
}
