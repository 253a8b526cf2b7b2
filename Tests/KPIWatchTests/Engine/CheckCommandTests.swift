import Foundation
import Testing

/// `kpiwatch check` and `validate` through the built executable, as a user runs them.
@Suite struct CheckCommandTests {
    /// A misspelt field and a misspelt dataset: both are reported, each where it was written.
    static let misspeltRules = """
        kpis:
          - id: a
            dataset: cases
            date: opend
            period: month
            value: count()
          - id: b
            dataset: casess
            period: all
            value: count()

        """

    @Test func exitCodesFollowTheWorstAlert() throws {
        let ok = EngineFixture(rules: "kpis:\n" + monthlyCount("m"))
        #expect(ok.run().exitCode == 0)
        let warning = EngineFixture(
            rules: "kpis:\n" + monthlyCount("m", "    thresholds:\n      warning: value >= 1\n"))
        #expect(warning.run().exitCode == 1)
        let critical = EngineFixture(
            rules: "kpis:\n" + monthlyCount("m", "    thresholds:\n      critical: value >= 1\n"))
        #expect(critical.run().exitCode == 2)
        let broken = EngineFixture(
            rules: "kpis:\n" + monthlyCount("m", "    thresholds:\n      critical: valeu >= 1\n"))
        let outcome = broken.run()
        #expect(outcome.exitCode == 3)
        let problems = outcome.problems.map(\.description)
        #expect(problems.contains { $0.contains("rules.yaml:10:17: error: unknown field 'valeu'") })
        #expect(problems.contains { $0.contains("did you mean 'value'?") })
        // The executable exits with the outcome's status and prints its problems.
        let command = try broken.check()
        #expect(command.status == 3)
        #expect(command.stderr.contains("rules.yaml:10:17: error: unknown field 'valeu'"))
    }

    @Test func jsonFormatPrintsOneObjectPerValueAndAlert() throws {
        let fixture = EngineFixture(
            rules: "kpis:\n" + monthlyCount("m", "    group_by: [team]\n    thresholds:\n      warning: value >= 1\n"))
        let result = try fixture.check(["--format", "json"])
        #expect(result.status == 1)
        let objects = try result.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let kpis = objects.filter { $0["type"] as? String == "kpi" }
        let alerts = objects.filter { $0["type"] as? String == "alert" }
        // Overall, North, South and blank-team, three months each.
        #expect(kpis.count == 12)
        #expect(alerts.count == 2)
        let march = try #require(
            kpis.first { $0["period"] as? String == "2024-03" && ($0["group"] as? [String: Any])?.isEmpty == true })
        #expect(march["current"] as? Bool == true)
        #expect(march["value"] as? Int == 1)
        #expect(march["count"] as? Int == 1)
        #expect(march["state"] as? String == "warning")
        #expect(march["unit"] as? String == "number")
        let blank = try #require(kpis.first { ($0["group"] as? [String: Any])?["team"] is NSNull })
        #expect(blank["id"] as? String == "m")
        let noValue = try #require(kpis.first { $0["value"] is NSNull })
        #expect(noValue["state"] as? String == "no_data")
        #expect(alerts[0]["rule"] as? String == "m")
        #expect(alerts[0]["severity"] as? String == "warning")
        #expect(alerts[0]["labels"] is [String: Any])
    }

    @Test func theFileSinkAppendsOneJSONLinePerNotificationAndDryRunSendsNothing() throws {
        let fixture = EngineFixture(
            rules: "kpis:\n" + monthlyCount("m", "    thresholds:\n      warning: value >= 1\n"))
        let path = (fixture.directory.path as NSString).appendingPathComponent("out/alerts.jsonl")
        _ = fixture.run(dryRun: true)
        #expect(!FileManager.default.fileExists(atPath: path))
        _ = fixture.run()
        // The same alert on the next run is within its repeat interval (7 days): nothing new is written.
        _ = fixture.run()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(object?["rule"] as? String == "m")
    }

    @Test func textOutputIsATableOfCurrentValues() throws {
        let fixture = EngineFixture(
            rules: "kpis:\n" + monthlyCount("m", "    thresholds:\n      warning: value >= 1\n"))
        let result = try fixture.check()
        #expect(result.stdout.contains("kpiwatch as of 2024-03-15"))
        let row = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("m ") })
        #expect(row.contains("2024-03"))
        #expect(row.contains("warning"))
        #expect(row.contains("value >= 1"))
    }

    @Test func validateReportsEveryErrorWithItsLocation() throws {
        // With a structural error (period 'weekly'), the rules are not type-checked yet.
        let rules =
            Self.misspeltRules + """
                  - id: c
                    dataset: cases
                    period: weekly
                    value: count()

                """
        let fixture = EngineFixture(rules: rules)
        let result = try runKPIWatch(["validate", "--config", fixture.config])
        #expect(result.status == 3)
        #expect(result.stderr.contains("rules.yaml:13:13"))  // period 'weekly'
        #expect(result.stderr.contains("weekly"))
        let good = EngineFixture(rules: "kpis:\n" + monthlyCount("m"))
        let ok = try runKPIWatch(["validate", "--config", good.config])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("OK (1 KPI, 0 case alerts, 1 dataset)"), "\(ok.stdout)")
    }

    @Test func validateChecksTypesAndDatasetsOnceStructureIsRight() throws {
        let fixture = EngineFixture(rules: Self.misspeltRules)
        let result = try runKPIWatch(["validate", "--config", fixture.config])
        #expect(result.status == 3)
        #expect(result.stderr.contains("rules.yaml:4:11: error: unknown field 'opend'; did you mean 'opened'?"))
        #expect(result.stderr.contains("rules.yaml:8:14"))
        #expect(result.stderr.contains("did you mean 'cases'?"))
        #expect(result.stderr.contains("2 errors"))
    }

    @Test func aMissingColumnNamesTheColumnsThatExist() throws {
        let fixture = EngineFixture(rules: "kpis:\n" + monthlyCount("m"))
        let config = try String(contentsOfFile: fixture.config, encoding: .utf8)
            .replacingOccurrences(of: "column: opened", with: "column: Opened Date")
        try config.write(toFile: fixture.config, atomically: true, encoding: .utf8)
        let result = try runKPIWatch(["validate", "--config", fixture.config])
        #expect(result.status == 3)
        #expect(result.stderr.contains("Opened Date"))
        #expect(result.stderr.contains("opened"))
    }
}

@Suite struct WebhookSecretTests {
    @Test func aWebhookURLWrittenIntoTheProjectFileIsRefused() throws {
        let fixture = EngineFixture(rules: "kpis:\n" + monthlyCount("m"))
        var config = try String(contentsOfFile: fixture.config, encoding: .utf8)
        config += "  - type: webhook\n    url: https://example.invalid/hook/SECRET-TOKEN\n"
        try config.write(toFile: fixture.config, atomically: true, encoding: .utf8)
        let result = try runKPIWatch(["validate", "--config", fixture.config])
        #expect(result.status == 3)
        #expect(result.stderr.contains("kpiwatch.yaml:22:10"))
        #expect(result.stderr.contains("write it as ${env:NAME}"))
        #expect(!result.stderr.contains("SECRET-TOKEN"))
        let referenced = config.replacingOccurrences(
            of: "url: https://example.invalid/hook/SECRET-TOKEN", with: "url: ${env:KPIWATCH_TEST_HOOK}")
        try referenced.write(toFile: fixture.config, atomically: true, encoding: .utf8)
        let ok = try runKPIWatch(
            ["validate", "--config", fixture.config],
            environment: ["KPIWATCH_TEST_HOOK": "https://example.invalid/hook/SECRET-TOKEN"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}
