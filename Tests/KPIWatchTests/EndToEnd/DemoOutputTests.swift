import Foundation
import Testing

/// The exact bytes `check` prints for the demo as of 31 October 2026 with a fresh state store, in each format,
/// and the alerts its file sink writes: a restructuring of the code must not change what a user sees.
/// After a deliberate change of output, regenerate the files in Fixtures/demo-output with the command that
/// each failure prints.
@Suite struct DemoOutputTests {
    /// The demo copied into a throwaway folder (so its state store and file sink write there), reading the
    /// repository's rules, plugins and benchmark files.
    static func demoCopy() throws -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        folder.copy(TestPaths.repo("examples/demo/data"), to: "data")
        var config = try String(contentsOfFile: TestPaths.repo("examples/demo/kpiwatch.yaml"), encoding: .utf8)
        config = config.replacingOccurrences(of: "../../", with: TestPaths.repository.path + "/")
        config = config.replacingOccurrences(
            of: "[benchmarks.yaml,", with: "[\(TestPaths.repo("examples/demo/benchmarks.yaml")),")
        folder.write("kpiwatch.yaml", config)
        return folder
    }

    static func golden(_ name: String) -> String {
        (try? String(contentsOfFile: TestPaths.fixture("demo-output/\(name)"), encoding: .utf8)) ?? ""
    }

    /// Compares line by line so that a failure names the first line that differs, not 48 KB of text.
    static func expectSame(_ actual: String, golden name: String, _ arguments: [String]) {
        let expected = golden(name)
        #expect(!expected.isEmpty, "Fixtures/demo-output/\(name) is missing")
        guard actual != expected else { return }
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first =
            zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(actualLines.count, expectedLines.count)
        let got = first < actualLines.count ? String(actualLines[first]) : "(end of output)"
        let wanted = first < expectedLines.count ? String(expectedLines[first]) : "(end of file)"
        Issue.record(
            """
            \(name) differs at line \(first + 1):
              got:      \(got)
              expected: \(wanted)
            If the change is deliberate: kpiwatch \(arguments.joined(separator: " ")) > \
            Tests/KPIWatchTests/Fixtures/demo-output/\(name) (on a copy of the demo, as this test makes)
            """)
    }

    @Test(arguments: [("text", "check.txt"), ("csv", "check.csv")])
    func checkPrintsTheSameBytes(format: String, golden: String) throws {
        let folder = try Self.demoCopy()
        let arguments = [
            "check", "--config", folder.path + "/kpiwatch.yaml", "--as-of", "2026-10-31", "--format", format,
        ]
        let result = try runKPIWatch(arguments, environment: ["NO_COLOR": "1"])
        // The demo has critical KPIs: exit 2, and nothing went wrong.
        #expect(result.status == 2, "\(result.stderr)")
        Self.expectSame(result.stdout, golden: golden, arguments)
    }

    @Test func theFileSinkWritesTheSameAlerts() throws {
        let folder = try Self.demoCopy()
        let arguments = ["check", "--config", folder.path + "/kpiwatch.yaml", "--as-of", "2026-10-31"]
        let result = try runKPIWatch(arguments, environment: ["NO_COLOR": "1"])
        #expect(result.status == 2, "\(result.stderr)")
        let written = (try? String(contentsOfFile: folder.path + "/out/alerts.jsonl", encoding: .utf8)) ?? ""
        Self.expectSame(written, golden: "alerts.jsonl", arguments)
    }
}
