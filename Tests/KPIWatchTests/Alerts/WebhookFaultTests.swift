import Foundation
import Testing

/// Faults between kpiwatch and a webhook, through the built executable: a receiver that accepts
/// the connection and never answers, and a host name that does not resolve. Each run ends (no
/// hang), exits 3 naming the failure, and keeps the notification in the outbox; the URL is never printed.
@Suite("Webhook faults", .serialized)
struct WebhookFaultTests {
    /// A project with one case past 52 weeks (a critical case alert) and a webhook sink at `${env:HOOK}`.
    func project(options: String) -> LifecycleProject {
        let project = LifecycleProject(
            sinks: """
                  - type: webhook
                    name: hook
                    format: slack
                    url: ${env:HOOK}
                    allow_http: true
                \(options)
                """)
        project.setCases([("C1", "North", "2020-01-06", nil)])
        return project
    }

    func check(_ project: LifecycleProject, hook: String) throws -> (check: CommandResult, outbox: CommandResult) {
        let environment = ["HOOK": hook]
        let check = try runKPIWatch(
            ["check", "--config", project.configPath, "--as-of", "2021-03-01"], environment: environment)
        let outbox = try runKPIWatch(["outbox", "--config", project.configPath], environment: environment)
        return (check, outbox)
    }

    @Test func aWebhookThatNeverAnswersTimesOutExits3AndKeepsTheNotification() throws {
        let server = try LoopbackHTTPServer(fallback: .noAnswer)
        defer { server.stop() }
        let project = project(options: "    timeout: 0.5\n    max_attempts: 2")
        let (check, outbox) = try check(project, hook: server.url.absoluteString)
        #expect(check.status == 3, "\(check.stderr)")
        #expect(check.stderr.contains("hook: ") && check.stderr.contains("failed → outbox"), "\(check.stderr)")
        #expect(check.stderr.contains("timed out"), "\(check.stderr)")
        #expect(outbox.stdout.contains("open_past_52w"), "\(outbox.stdout)")
        #expect(outbox.stdout.contains("timed out"), "\(outbox.stdout)")
        for text in [check.stdout, check.stderr, outbox.stdout, outbox.stderr] {
            #expect(!text.contains("s3cr3tT0ken") && !text.contains(String(server.port)))
        }
    }

    @Test func aHostThatDoesNotResolveExits3AndKeepsTheNotification() throws {
        // `.invalid` is reserved (RFC 2606): it never resolves, so nothing is sent anywhere.
        let project = project(options: "    max_attempts: 1")
        let (check, outbox) = try check(project, hook: "https://hooks.kpiwatch.invalid/services/T0001/s3cr3tT0ken")
        #expect(check.status == 3, "\(check.stderr)")
        #expect(check.stderr.contains("failed → outbox"), "\(check.stderr)")
        #expect(check.stderr.contains("host not found"), "\(check.stderr)")
        #expect(outbox.stdout.contains("open_past_52w") && outbox.stdout.contains("host not found"), "\(outbox.stdout)")
        for text in [check.stdout, check.stderr, outbox.stdout, outbox.stderr] {
            #expect(!text.contains("s3cr3tT0ken") && !text.contains("kpiwatch.invalid"))
        }
    }
}
