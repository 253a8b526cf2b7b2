import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchPlugins

/// The local SMTP server of Fixtures/smtp_sink.py, saving each message it receives to a folder.
final class LocalSMTPServer {
    let process = Process()
    let mailbox = TemporaryDirectory()
    let port: Int

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.fixture("smtp_sink.py"), mailbox.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var text = Data()
        while !text.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text.append(chunk)
        }
        port = Int(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    // SIGKILL: the test runner's threads block SIGTERM, and children inherit that mask.
    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    var messages: [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: mailbox.path)) ?? [])
            .filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { try? String(contentsOfFile: mailbox.path + "/" + $0, encoding: .utf8) }
    }
}

@Suite struct ShippedPluginTests {
    /// A project in a temporary folder that uses the checkout's plugins.
    func project(_ folder: TemporaryDirectory, datasets: String, rules: String, sinks: String = "") -> String {
        folder.write("rules/rules.yaml", rules)
        return folder.write(
            "kpiwatch.yaml",
            "version: 1\nrules: [rules]\nplugins: [\(TestPaths.repo("plugins"))]\ndatasets:\n" + datasets + sinks)
    }

    @Test func onsPopulationGivesNorthSomersetsMid2024PopulationAged0To24() throws {
        let folder = TemporaryDirectory()
        let path = project(
            folder,
            datasets: """
                  population:
                    source: plugin:ons-population
                    path: \(TestPaths.repo("plugins/ons-population/sample-mye.csv"))
                    area: E06000024
                    mid_year: 2024
                    fields:
                      area: area
                      age: { column: age, type: int }
                      count: { column: count, type: int }

                """,
            rules: """
                kpis:
                  - id: population_0_24
                    title: Population aged 0-24
                    dataset: population
                    where: age >= 0 and age <= 24
                    period: all
                    value: sum(count)
                    unit: count
                """)
        let evaluation = try evaluateProject(path, asOf: "2024-12-31")
        #expect(evaluation.datasets.first?.status == .ok)
        #expect(evaluation.current("population_0_24")?.value == 58_234)
        #expect(evaluation.datasets.first?.rowsRead == 26)
    }

    @Test func onsPopulationUnknownAreaIsTheDatasetsErrorNamingThePlugin() throws {
        let folder = TemporaryDirectory()
        let path = project(
            folder,
            datasets: """
                  population:
                    source: plugin:ons-population
                    path: \(TestPaths.repo("plugins/ons-population/sample-mye.csv"))
                    area: Atlantis
                    fields:
                      count: { column: count, type: int }

                """,
            rules:
                "kpis:\n  - {id: pop, title: Pop, dataset: population, period: all, value: sum(count), unit: count}\n")
        let evaluation = try evaluateProject(path, asOf: "2024-12-31")
        #expect(evaluation.datasets.first?.status == .error)
        let problem = evaluation.datasets.first?.problems.first?.description ?? ""
        #expect(problem.contains("plugin 'ons-population' exited with status 2"))
        #expect(problem.contains("no area 'Atlantis'"))
    }

    func capitaDataset(_ indent: String = "  ") -> String {
        """
          assessments:
            source: plugin:capita-one-export
            path: \(TestPaths.repo("plugins/capita-one-export/sample-export.csv"))
            fields:
              case_id: { type: string, key: true }
              child_name: { type: string, personal: true }
              date_of_birth: { type: date, personal: true }
              team: ~
              caseworker: ~
              request_date: { type: date }
              decision: ~
              final_plan_date: { type: date }
              outcome: ~
              exception: ~

        """
    }

    @Test func capitaOneExportSampleMapsToThePacksAssessmentFields() throws {
        let folder = TemporaryDirectory()
        let path = project(
            folder, datasets: capitaDataset(),
            rules: """
                kpis:
                  - id: within_20_weeks
                    title: Plans within 20 weeks
                    dataset: assessments
                    where: final_plan_date is not null and exception is null
                    period: all
                    value: percent(days_between(request_date, final_plan_date) <= 140)
                    unit: percent
                  - id: refused
                    title: Refused
                    dataset: assessments
                    where: decision == "Refuse" and outcome == "Refused"
                    period: all
                    value: count()
                    unit: count
                """)
        let evaluation = try evaluateProject(path, asOf: "2024-12-31")
        #expect(evaluation.datasets.first?.status == .ok)
        #expect(evaluation.datasets.first?.rowsRead == 8)
        // Plans 0001 (136 days), 0002 (150), 0007 (140); 0004 has an exception.
        #expect(rounded(evaluation.current("within_20_weeks")?.value) == 66.7)
        #expect(evaluation.current("refused")?.value == 2)
    }

    @Test func emailSMTPDeliversOneMessageWithCaseIdsAndNoChildNames() throws {
        let server = try LocalSMTPServer()
        #expect(server.port > 0)
        let folder = TemporaryDirectory()
        let path = project(
            folder, datasets: capitaDataset(),
            rules: """
                case_alerts:
                  - id: no_final_plan
                    title: Assessment open without a final plan
                    dataset: assessments
                    key: case_id
                    where: decision == "Assess" and final_plan_date is null
                    severity: warning
                    message: "Case {case_id} ({caseworker}, {team}) has no final plan"
                """,
            sinks: """
                sinks:
                  - type: plugin:email-smtp
                    host: 127.0.0.1
                    port: \(server.port)
                    from: kpiwatch@council.example
                    to: [send-leads@council.example]

                """)
        let result = try runKPIWatch(["check", "--config", path, "--as-of", "2024-12-31"])
        #expect(result.stderr.contains("plugin:email-smtp: 2 sent"))
        #expect(result.stderr.contains("0 failed"))
        let messages = server.messages
        #expect(messages.count == 1)
        let message = messages.first ?? ""
        #expect(message.contains("Subject: [kpiwatch] 2 warning as of 2024-12-31"))
        #expect(message.contains("EHCR/2024/0005") && message.contains("EHCR/2024/0006"))
        for name in ["Freya", "Coombe", "Noah", "Ashcombe"] { #expect(!message.contains(name)) }
    }

    @Test func emailSMTPReportsAFailureWhenTheRelayIsUnreachable() throws {
        let folder = TemporaryDirectory()
        folder.write("plugins/.keep", "")
        let config = ProjectConfig(file: folder.path + "/kpiwatch.yaml", directory: folder.path)
        var project = config
        project.pluginFolders = [TestPaths.repo("plugins")]
        let manifest = try PluginDirectory(project: project).plugin(named: "email-smtp", as: .sink, at: nil)
        let sink = PluginSink(
            process: PluginProcess(manifest: manifest, workingDirectory: folder.path),
            options: [
                ("host", .string("127.0.0.1")), ("port", .int(1)), ("from", .string("a@b.example")),
                ("to", .array([.string("c@d.example")])),
            ])
        let notification = AlertNotice(
            alert: Alert(kind: .caseAlert, rule: "r", title: "R", severity: .warning, key: "C1", message: "C1"),
            firstSeen: Day(iso: "2024-12-31")!)
        let report = sink.send([notification], context: RunContext(asOf: Day(iso: "2024-12-31")!, projectFile: "p"))
        #expect(report.delivered.isEmpty)
        #expect(report.failures[notification.deliveryID]?.contains("cannot send through 127.0.0.1:1") == true)
    }

    @Test func pluginsCommandListsTheShippedPluginsAndManifestErrors() throws {
        let folder = TemporaryDirectory()
        folder.write(
            "local/broken/plugin.yaml", "name: broken\nkind: source\ncommand: [python3, main.py]\ntimeout: soon\n")
        let path = folder.write(
            "kpiwatch.yaml", "version: 1\nplugins: [\(TestPaths.repo("plugins")), local]\ndatasets: {}\n")
        let result = try runKPIWatch(["plugins", "--config", path])
        #expect(result.status == 3)
        #expect(result.stdout.contains("ons-population  source  \(TestPaths.repo("plugins"))/ons-population"))
        #expect(result.stdout.contains("capita-one-export  source"))
        #expect(result.stdout.contains("email-smtp  sink"))
        #expect(result.stdout.contains("broken  invalid"))
        #expect(
            result.stdout.contains("\(folder.path)/local/broken/plugin.yaml:4:10: error: 'timeout' must be a duration"))
        #expect(result.stdout.hasSuffix("4 plugins, 1 with errors\n"))
    }
}
