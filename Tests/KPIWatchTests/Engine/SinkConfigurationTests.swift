import Foundation
import Testing

/// Issue 8, defect 1: a sink, route, policy or quiet-time mistake stops `check` before it evaluates anything. It
/// reports every such error exactly as `validate` does, exits 3, sends nothing and changes no state.
@Suite struct SinkConfigurationTests {
    /// One mistake of each kind, in sinks that would otherwise deliver: a literal webhook URL (a secret), a broken
    /// `match_re`, an unknown quiet time, a repeat interval that is not a duration, a `group_by` that is not a list
    /// of names and a `default` sink with matchers.
    static let brokenSinks =
        LifecycleProject.loopbackWebhook + "\n"
            + """
              - { type: file, path: out/alerts.jsonl }
              - type: webhook
                format: teams
                url: https://example.invalid/hooks/literal
              - { type: file, path: out/re.jsonl, match_re: { rule: "open_(past" } }
              - { type: file, path: out/quiet.jsonl, quiet: [weekends, lunchtime] }
              - { type: file, path: out/repeat.jsonl, repeat_interval: soon }
              - { type: file, path: out/group.jsonl, group_by: { team: 1 } }
              - { type: file, path: out/default.jsonl, default: true, match: { team: North } }
            """

    func errorLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") }
    }

    @Test func checkReportsEverySinkErrorAsValidateDoesAndSendsNothing() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let project = LifecycleProject(sinks: Self.brokenSinks, sinkNames: [])
        project.setCases([("C1", "North", "2026-03-01", nil)])
        let environment = LifecycleProject.environment(server)

        let validate = try runKPIWatch(["validate", "--config", project.configPath], environment: environment)
        #expect(validate.status == 3)
        let expected = errorLines(validate.stderr)
        let file = project.configPath
        for fragment in [
            "\(file):26:10: error: the webhook's 'url' is a secret",
            "\(file):27:57: error: 'open_(past' is not a valid regular expression",
            "\(file):28:60: error: unknown quiet time 'lunchtime'",
            "\(file):29:60: error: 'repeat_interval' must be a duration",
            "\(file):30:52: error:",
            "\(file):31:44: error: a sink with 'default: true'",
        ] {
            #expect(expected.contains { $0.hasPrefix(fragment) }, "validate reports \(fragment)\n\(validate.stderr)")
        }

        let check = try runKPIWatch(
            ["check", "--config", project.configPath, "--as-of", "2026-10-29"], environment: environment)
        #expect(check.status == 3)
        #expect(errorLines(check.stderr) == expected)
        #expect(server.requests.isEmpty, "nothing is sent")
        #expect(!FileManager.default.fileExists(atPath: project.folder.path + "/out"), "nothing is written")
        #expect(!FileManager.default.fileExists(atPath: project.folder.path + "/state"), "no state is created")
        #expect(!check.stderr.contains("example.invalid"), "the URL is a secret")
    }

    @Test func anUnsetEnvironmentVariableInASinkStopsCheckAsItStopsValidate() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let project = LifecycleProject(
            sinks: """
                  - { type: file, path: out/alerts.jsonl }
                  - type: webhook
                    format: generic
                    url: ${env:KPIWATCH_TEST_UNSET_HOOK}
                    secret: ${file:missing-secret.txt}
                """, sinkNames: [])
        project.setCases([("C1", "North", "2026-03-01", nil)])
        let validate = try runKPIWatch(["validate", "--config", project.configPath])
        #expect(validate.status == 3)
        #expect(validate.stderr.contains("KPIWATCH_TEST_UNSET_HOOK"))
        #expect(validate.stderr.contains("missing-secret.txt"))
        let check = try runKPIWatch(["check", "--config", project.configPath, "--as-of", "2026-10-29"])
        #expect(check.status == 3)
        #expect(errorLines(check.stderr) == errorLines(validate.stderr))
        #expect(!FileManager.default.fileExists(atPath: project.folder.path + "/out"))
        #expect(!FileManager.default.fileExists(atPath: project.folder.path + "/state"))
    }
}
