import Foundation
import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchCore

/// The alert-delivery issue's acceptance run, end to end: the demo project checked by the built
/// executable on five consecutive as-of days (Wed 28 Oct – Sun 1 Nov 2026) against a webhook receiver
/// on 127.0.0.1 that fails all of day 2, with the channel quiet at weekends; then Monday.
@Suite struct DemoWeekWebhookTests {
    struct Delivered: Hashable {
        var fingerprint: String
        var status: String
        var severity: String
        var startsAt: String
    }

    @Test func eachAlertAndResolutionArrivesOnceAndWhatFailedOrWasHeldFollows() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let folder = TemporaryDirectory()
        folder.copy(TestPaths.repo("examples/demo/data"), to: "data")
        var config = try String(contentsOfFile: TestPaths.repo("examples/demo/kpiwatch.yaml"), encoding: .utf8)
        config = config.replacingOccurrences(of: "../../rules", with: TestPaths.repo("rules"))
        config = config.replacingOccurrences(
            of: "[benchmarks.yaml,", with: "[\(TestPaths.repo("examples/demo/benchmarks.yaml")),")
        config = String(config[..<config.range(of: "sinks:")!.lowerBound])
        config += """
            sinks:
              - type: webhook
                name: send-team
                format: generic
                url: ${env:KPIWATCH_TEST_WEBHOOK}
                allow_http: true
                max_attempts: 1
                group_by: [team]
                quiet: [weekends]

            """
        let project = folder.write("kpiwatch.yaml", config)
        let environment = ["KPIWATCH_TEST_WEBHOOK": server.url.absoluteString]
        let statePath = folder.path + "/.kpiwatch/state.sqlite"

        var deliveredByDay: [[Delivered]] = []
        var requestsByDay: [Int] = []
        var outboxAfter: [[String]] = []
        let days = ["2026-10-28", "2026-10-29", "2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"]
        for (index, day) in days.enumerated() {
            server.clearRequests()
            server.answerEveryRequest(with: index == 1 ? .status(500, body: "outage") : .status(200, body: "ok"))
            let result = try runKPIWatch(["check", "--config", project, "--as-of", day], environment: environment)
            // The day of the outage could not deliver what it decided: it says so and exits 3.
            #expect(index == 1 ? result.status == 3 : [0, 1, 2].contains(result.status), "\(day): \(result.stderr)")
            if index == 1 { #expect(result.stderr.contains("error: sink 'send-team': ")) }
            #expect(!result.stdout.contains(server.url.absoluteString) && !result.stderr.contains("s3cr3tT0ken"))
            let answered = index == 1 ? [] : server.requests
            deliveredByDay.append(
                answered.flatMap { request -> [Delivered] in
                    let envelope = request.json as? [String: Any]
                    return (envelope?["alerts"] as? [[String: Any]] ?? []).map {
                        Delivered(
                            fingerprint: $0["fingerprint"] as? String ?? "", status: $0["status"] as? String ?? "",
                            severity: $0["severity"] as? String ?? "", startsAt: $0["startsAt"] as? String ?? "")
                    }
                })
            requestsByDay.append(server.requests.count)
            outboxAfter.append(
                try StateStore.open(path: statePath).outbox().map {
                    GenericAlert.fingerprint(of: $0.notification.alert.identity)
                })
        }
        for (index, day) in days.enumerated() {
            let firing = deliveredByDay[index].filter { $0.status == "firing" }.count
            let resolved = deliveredByDay[index].filter { $0.status == "resolved" }.count
            print(
                "\(day): \(requestsByDay[index]) posts, \(firing) firing and \(resolved) resolved delivered, "
                    + "\(outboxAfter[index].count) waiting")
        }

        // The channel never hears the same news twice in a row about an alert: each firing notice (per episode and
        // severity) arrives once until the alert changes, and each resolution once. (A warning that escalates and
        // falls back is told "warning" again: that is news.)
        let all = deliveredByDay.flatMap { $0 }
        var previous: [String: Delivered] = [:]
        for notice in all {
            #expect(previous[notice.fingerprint] != notice, "\(notice) twice in a row")
            previous[notice.fingerprint] = notice
        }
        #expect(Set(all.filter { $0.status == "resolved" }).count == all.filter { $0.status == "resolved" }.count)
        #expect(all.contains { $0.status == "resolved" })
        // Day 1 delivered the breaches; day 2's posts all failed and waited in the outbox …
        #expect(!deliveredByDay[0].isEmpty && outboxAfter[0].isEmpty)
        #expect(requestsByDay[1] > 0 && !outboxAfter[1].isEmpty)
        // … and went out on day 3, with day 3's own news.
        let dayThree = Set(deliveredByDay[2].map(\.fingerprint))
        #expect(Set(outboxAfter[1]).isSubset(of: dayThree))
        #expect(outboxAfter[2].isEmpty)
        // Saturday and Sunday are quiet: nothing posted, news held, and Monday sends what was held.
        #expect(requestsByDay[3] == 0 && requestsByDay[4] == 0)
        #expect(Set(outboxAfter[4]).isSubset(of: Set(deliveredByDay[5].map(\.fingerprint))))
        #expect(outboxAfter[5].isEmpty)
    }
}
