import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Issue 8, defect 8 (parsers and limits): errors that had no usable location, checks that waited for `check`,
/// costs that grew with the square of the input, and control characters echoed to the terminal.
@Suite struct LocatedErrorTests {
    @Test(arguments: ["''", "MMMMMMMM", "dd/MM"])
    func aBadDateFormatFailsValidate(format: String) throws {
        let project = HostileProject(rules: allTimeKPI("x", value: "count()"))
        let config = try String(contentsOfFile: project.config, encoding: .utf8)
            .replacingOccurrences(of: "date_format: dd/MM/yyyy", with: "date_format: \(format)")
        try config.write(toFile: project.config, atomically: true, encoding: .utf8)
        let result = try project.run("validate")
        #expect(result.status == 3)
        #expect(result.stderr.contains("kpiwatch.yaml:8:18: error:"), "\(result.stderr)")
        #expect(result.stderr.contains("date_format"))
    }

    @Test func invalidUTF8InARuleFileNamesItsLineAndColumn() throws {
        let project = HostileProject(rules: allTimeKPI("x", value: "count()"))
        let rules = (project.directory.path as NSString).appendingPathComponent("rules.yaml")
        var bytes = Array("kpis:\n  - id: x\n    title: caf".utf8)
        bytes += [0xC3, 0x28]  // a lead byte without its continuation
        bytes += Array("\n    dataset: data\n    period: all\n    value: count()\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: rules))
        let result = try project.run("validate")
        #expect(result.status == 3)
        #expect(result.stderr.contains("rules.yaml:3:15: error: rule file"), "\(result.stderr)")
        #expect(result.stderr.contains("is not UTF-8 text"))
    }

    @Test func aControlCharacterInARuleFileIsLocatedAndEscaped() throws {
        let project = HostileProject(
            rules: allTimeKPI("x", value: "count()", extra: "    title: \"ok\"\n    description: a\u{1B}[2Jb\n"))
        let result = try project.run("validate")
        #expect(result.status == 3)
        #expect(result.stderr.contains("rules.yaml:7:19: error: cannot read YAML"), "\(result.stderr)")
        #expect(result.stderr.contains("U+001B"))
        #expect(!result.stderr.contains("\u{1B}"))
    }

    @Test func controlCharactersFromTheDataAreEscapedInTheTableAndInErrors() throws {
        let csv =
            HostileProject.header + "C1,05/01/2024,1,1,\"\u{1B}]0;owned\u{07}North\"\n"
            + "C2,06/01/2024,x\u{1B}[31m,1,South\n"
        let rules = allTimeKPI(
            "x", value: "count()",
            extra: "    group_by: [team]\n    thresholds:\n      warning: value >= 1\n")
        let table = try HostileProject(rules: rules, csv: csv, extra: "    on_bad_rows: skip").run("check")
        #expect(table.status == 1, "\(table.stderr)")
        #expect(!table.stdout.contains("\u{1B}]0"), "\(table.stdout)")
        #expect(table.stdout.contains("\\u{1B}]0;owned\\u{7}North"), "\(table.stdout)")
        let failing = try HostileProject(rules: rules, csv: csv).run("check")
        #expect(failing.status == 3)
        #expect(failing.stderr.contains("data.csv, row 3, column \"n\""), "\(failing.stderr)")
        #expect(!failing.stderr.contains("\u{1B}"))
        #expect(failing.stderr.contains("x\\u{1B}[31m"))
    }

    @Test func aDataFileErrorNamesTheProjectLineThatConfiguredIt() throws {
        let project = HostileProject(rules: allTimeKPI("x", value: "count()"), csv: "")
        for command in ["validate", "check"] {
            let result = try project.run(command)
            #expect(result.status == 3)
            #expect(result.stderr.contains("data.csv is empty"), "\(result.stderr)")
            #expect(result.stderr.contains("dataset 'data' configured at "), "\(result.stderr)")
            #expect(result.stderr.contains("kpiwatch.yaml:7:11"))
        }
    }

    @Test func aMegabyteTimeZoneIsReportedWithoutAnEditDistanceOverIt() throws {
        let project = HostileProject(rules: allTimeKPI("x", value: "count()"))
        let zone = String(repeating: "Europe/Londo", count: 90_000)
        let config = try String(contentsOfFile: project.config, encoding: .utf8)
            .replacingOccurrences(of: "version: 1\n", with: "version: 1\ntimezone: \(zone)\n")
        try config.write(toFile: project.config, atomically: true, encoding: .utf8)
        let result = try project.run("validate")
        #expect(result.status == 3)
        #expect(result.stderr.contains("kpiwatch.yaml:2:11: error: unknown time zone"))
        #expect(result.stderr.contains("use an IANA name such as Europe/London"))
    }

    /// More than a pipe's worth of errors (64 KB) on standard error: all are printed and the run ends (the test
    /// harness drains both pipes at once, as a user's terminal does).
    @Test func thousandsOfErrorsAreAllReported() throws {
        let rules =
            "kpis:\n"
            + (0..<3000).map {
                "  - id: k\($0)\n    dataset: data\n    period: all\n    value: count()\n    titel: x\n"
            }
            .joined()
        let result = try HostileProject(rules: rules).run("validate")
        #expect(result.status == 3)
        #expect(result.stderr.utf8.count > 64 * 1024)
        #expect(result.stderr.contains("3000 errors in "))
    }

    @Test func nearestNameSkipsCandidatesTooFarInLength() {
        #expect(nearestName(to: "recieved", in: ["received", String(repeating: "r", count: 100_000)]) == "received")
        #expect(nearestName(to: String(repeating: "a", count: 1_000_000), in: ["a", "b"]) == nil)
    }

    @Test func twentyThousandLabelsAreAllRead() throws {
        let labels = (0..<20_000).map { "      l\($0): \"v\($0)\"" }.joined(separator: "\n")
        let rules = allTimeKPI("x", value: "count()", extra: "    labels:\n\(labels)\n")
        let project = HostileProject(rules: rules)
        let loaded = try Engine.standard().load(configPath: project.config)
        #expect(loaded.rules.kpis[0].labels.count == 20_000)
        #expect(loaded.rules.kpis[0].labels["l19999"] == "v19999")
    }
}
