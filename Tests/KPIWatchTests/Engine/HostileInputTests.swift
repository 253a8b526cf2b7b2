import Foundation
import Testing

/// Issue 8, defect 7: input that crashed the process (integer traps, stack overflows, memory exhaustion) now gives
/// a value, no value, or a located error with exit 3 — through the built executable, as a user runs it.
@Suite struct HostileInputTests {
    // MARK: Integer traps

    @Test(arguments: ["add_days", "add_weeks", "add_months"])
    func movingADateByIntMinIsNoDate(function: String) throws {
        let project = HostileProject(
            rules: allTimeKPI("x", value: "count(\(function)(opened, -9223372036854775807 - 1) is null)"))
        let result = try project.run("check", ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(HostileProject.value(of: "x", in: result) as? Int == 1)
    }

    @Test func aHistoryBeyondTheLimitIsALocatedError() throws {
        for history in ["9223372036854775807", "30000", "1001"] {
            let project = HostileProject(rules: allTimeKPI("x", value: "count()", extra: "    history: \(history)\n"))
            for command in ["validate", "check"] {
                let result = try project.run(command)
                #expect(result.status == 3)
                #expect(
                    result.stderr.contains(
                        "rules.yaml:6:14: error: 'history' must be a whole number from 1 to 1000; got '\(history)'"),
                    "\(result.stderr)")
            }
        }
    }

    @Test func aSumPastTheIntRangeIsPrintedWithAllItsDigits() throws {
        let csv = HostileProject.header + "C1,05/01/2024,1e19,1,North\nC2,05/01/2024,1e19,1,North\n"
        let project = HostileProject(rules: allTimeKPI("x", value: "sum(n)"), csv: csv)
        // In no breach: the table shows it with --all.
        let result = try project.run("check", ["--all"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("20,000,000,000,000,000,000"), "\(result.stdout)")
    }

    /// Documented in docs/rules.md: an int sum that overflows is no value (null), like int arithmetic.
    @Test func anIntSumThatOverflowsIsNoValue() throws {
        let csv = HostileProject.header + "C1,05/01/2024,1,9223372036854775807,North\nC2,05/01/2024,1,1,North\n"
        let project = HostileProject(rules: allTimeKPI("x", value: "sum(i)"), csv: csv)
        let result = try project.run("check", ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(HostileProject.value(of: "x", in: result) is NSNull, "\(result.stdout)")
        let table = try project.run("check", ["--all"])
        #expect(table.status == 0)
        let row = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("x ") })
        #expect(row.contains("–"))
    }

    // MARK: Stack overflows

    @Test func deepParenthesesAreALocatedError() throws {
        let value = String(repeating: "(", count: 2800) + "1" + String(repeating: ")", count: 2800)
        let project = HostileProject(rules: allTimeKPI("x", value: "count() + \(value)"))
        let result = try project.run("validate")
        #expect(result.status == 3)
        // The 65th '(' starts at column 12 + "count() + ".count + 64.
        #expect(
            result.stderr.contains("rules.yaml:5:86: error: the expression nests more than 64 levels deep"),
            "\(result.stderr.prefix(500))")
    }

    @Test func aLongChainOfAndIsALocatedError() throws {
        let value = (0..<20_000).map { _ in "i > 0" }.joined(separator: " and ")
        let project = HostileProject(rules: allTimeKPI("x", value: "count(\(value))"))
        let result = try project.run("check")
        #expect(result.status == 3)
        #expect(result.stderr.contains("error: the expression is more than 256 operations deep"))
        #expect(result.stderr.contains("rules.yaml:5:"))
    }

    @Test func nestedCoalesceIsALocatedError() throws {
        let value =
            String(repeating: "coalesce(", count: 3000) + "i" + String(repeating: ", 0)", count: 3000)
        let project = HostileProject(rules: allTimeKPI("x", value: "sum(\(value))"))
        let result = try project.run("check")
        #expect(result.status == 3)
        #expect(result.stderr.contains("error: the expression nests more than 64 levels deep"))
    }

    @Test func aChainOfThousandsOfKPIsIsEvaluated() throws {
        var rules = allTimeKPI("k0", value: "count()")
        for index in 1..<8000 {
            rules += "  - id: k\(index)\n    value: kpi.k\(index - 1) + 1\n"
        }
        let project = HostileProject(rules: rules)
        let result = try project.run("check", ["--format", "json", "--only", "k7999"])
        #expect(result.status == 0, "\(result.stderr.prefix(500))")
        #expect(HostileProject.value(of: "k7999", in: result) as? Int == 8000)
    }

    // MARK: Memory exhaustion and blocking files

    @Test func aDeviceAsDatasetPathIsRefused() throws {
        let project = HostileProject(rules: allTimeKPI("x", value: "count()"), path: "/dev/zero")
        for command in ["validate", "check"] {
            let result = try project.run(command)
            #expect(result.status == 3)
            #expect(
                result.stderr.contains(
                    "kpiwatch.yaml:7:11: error: dataset 'data': /dev/zero is a character device, not a regular file"),
                "\(result.stderr)")
        }
    }

    @Test func aFIFOAsDatasetPathIsRefusedWithoutBlocking() throws {
        let project = HostileProject(rules: allTimeKPI("x", value: "count()"), path: "pipe.csv")
        let fifo = (project.directory.path as NSString).appendingPathComponent("pipe.csv")
        #expect(mkfifo(fifo, 0o600) == 0)
        for command in ["validate", "check"] {
            let result = try project.run(command)
            #expect(result.status == 3)
            #expect(result.stderr.contains("kpiwatch.yaml:7:11: error: dataset 'data':"), "\(result.stderr)")
            #expect(result.stderr.contains("is a named pipe (FIFO), not a regular file"))
        }
    }

    @Test func aSymbolicLinkLoopIsNamedAsOne() throws {
        let project = HostileProject(rules: allTimeKPI("x", value: "count()"), path: "loop.csv")
        let loop = (project.directory.path as NSString).appendingPathComponent("loop.csv")
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: "loop.csv")
        let result = try project.run("validate")
        #expect(result.status == 3)
        #expect(result.stderr.contains("kpiwatch.yaml:7:11: error: dataset 'data':"), "\(result.stderr)")
        #expect(result.stderr.contains("is a symbolic link that leads back to itself"))
        #expect(!result.stderr.contains("not found"))
    }

    @Test func aYAMLAliasBombIsRefused() throws {
        var rules = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<10 {
            let previous = "*a\(level - 1)"
            rules += "a\(level): &a\(level) [" + Array(repeating: previous, count: 10).joined(separator: ", ") + "]\n"
        }
        rules += "kpis: []\n"
        let project = HostileProject(rules: rules)
        let result = try project.run("validate")
        #expect(result.status == 3)
        #expect(result.stderr.contains("rules.yaml:"), "\(result.stderr)")
        #expect(result.stderr.contains("values through its aliases"))
    }

    @Test func aRecordLongerThanTheCapIsALocatedError() throws {
        let csv = HostileProject.header + "C1,05/01/2024,1,1,\"" + String(repeating: "x", count: 9 << 20) + "\n"
        let project = HostileProject(rules: allTimeKPI("x", value: "count()"), csv: csv)
        let result = try project.run("check")
        #expect(result.status == 3)
        #expect(result.stderr.contains("data.csv, row 2: error: row 2 is longer than 8 MB"), "\(result.stderr)")
    }

    // MARK: Short rows

    @Test func aRowWithFewerFieldsThanTheHeaderIsABadRow() throws {
        let csv = HostileProject.header + "C1,05/01/2024,1,1,North\nC2,05/01/2024\nC3,06/01/2024,1,1,South\n"
        let failing = HostileProject(rules: allTimeKPI("x", value: "count()"), csv: csv)
        let result = try failing.run("check")
        #expect(result.status == 3)
        #expect(
            result.stderr.contains("data.csv, row 3: the row has 2 fields but the header has 5 columns"),
            "\(result.stderr)")
        let skipping = HostileProject(
            rules: allTimeKPI("x", value: "count()"), csv: csv, extra: "    on_bad_rows: skip")
        let skipped = try skipping.run("check", ["--format", "json"])
        #expect(skipped.status == 0, "\(skipped.stderr)")
        #expect(HostileProject.value(of: "x", in: skipped) as? Int == 2)
    }
}
