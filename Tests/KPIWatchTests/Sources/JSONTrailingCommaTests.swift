import Foundation
import Testing

@testable import KPIWatchSources

/// RFC 8259 has no trailing comma (`[1, 2,]`, `{"a": 1,}`); Foundation's JSONSerialization accepts one,
/// so kpiwatch looks for it and refuses it at the comma, in json, jsonl, http and plugin text alike.
@Suite struct JSONTrailingCommaTests {
    @Test func aTrailingCommaIsRefusedWhereItIs() {
        let cases: [(String, String)] = [
            ("[1, 2,]", "a comma before ']' at column 6; JSON allows none there"),
            ("{\"a\": 1 , }", "a comma before '}' at column 9; JSON allows none there"),
            ("[\n  {\"é\": 1,\n  }\n]", "a comma before '}' at line 2, column 10; JSON allows none there"),
            ("[[1,],[2,]]", "a comma before ']' at column 4; JSON allows none there"),
        ]
        for (text, reason) in cases {
            guard case .invalid(let found) = JSONRecord.parse(Data(text.utf8)) else {
                Issue.record("\(text.debugDescription) was accepted")
                continue
            }
            #expect(found == reason, "\(text.debugDescription)")
        }
    }

    /// Commas and brackets inside strings, escaped quotes included, are text.
    @Test func commasInsideStringsAreText() throws {
        let text = #"{"a": "x,]", "b": "q\",}", "c": [1, 2], "d": {}}"#
        guard case .value(let value) = JSONRecord.parse(Data(text.utf8)) else {
            Issue.record("valid JSON was refused")
            return
        }
        let object = try #require(value as? [String: Any])
        #expect(object["a"] as? String == "x,]")
        #expect(object["b"] as? String == "q\",}")
    }

    @Test func aJSONFileWithATrailingCommaExitsThreeNamingIt() throws {
        let project = try MalformedCase("json/trailing-comma-array.json").project()
        let result = try runKPIWatch(["check", "--config", project.config])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(
            result.stderr.contains("data.json is not valid JSON: a comma before ']' at line 2, column 70"),
            "\(result.stderr)")
    }

    @Test func aJSONLinesRecordWithATrailingCommaIsARowError() throws {
        let project = try MalformedCase("jsonl/trailing-comma.jsonl").project()
        let result = try runKPIWatch(["check", "--config", project.config])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "data.jsonl, row 2: line 2 is not valid JSON: a comma before '}' at column 69"),
            "\(result.stderr)")
    }
}
