import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The issue's acceptance scenario on the demo project: five as-of days, Thu 2026-10-29 to Mon 2026-11-02, a
/// channel (the webhook's stand-in) that fails on day 2, and a second channel quiet at weekends.
@Suite struct DemoWeekTests {
    @Test func fiveDaysSendEachAlertAndResolutionOnceAndNothingIsLost() throws {
        let folder = TemporaryDirectory()
        folder.copy(TestPaths.repo("examples/demo/data"), to: "data")
        var config = try String(contentsOfFile: TestPaths.repo("examples/demo/kpiwatch.yaml"), encoding: .utf8)
        config = config.replacingOccurrences(of: "../../rules", with: TestPaths.repo("rules"))
        config = config.replacingOccurrences(
            of: "[benchmarks.yaml,", with: "[\(TestPaths.repo("examples/demo/benchmarks.yaml")),")
        config = String(config[..<config.range(of: "sinks:")!.lowerBound])
        config += """
            sinks:
              - { type: "plugin:rec", name: teams }
              - { type: "plugin:rec", name: weekday, quiet: [weekends] }
            """
        folder.write("kpiwatch.yaml", config)
        let teams = RecordingSink(name: "teams")
        let weekday = RecordingSink(name: "weekday")
        var registry = SinkRegistry()
        registry.register(
            SinkDescriptor(type: "plugin:rec") { config, _ in config.option("name") == "teams" ? teams : weekday })
        let statePath = folder.path + "/.kpiwatch/state.sqlite"
        var perDay: [(teams: [AlertNotice], weekday: [AlertNotice], new: Int, resolved: Int)] = []
        for (index, day) in ["2026-10-29", "2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"].enumerated() {
            teams.reset()
            weekday.reset()
            teams.failing = index == 1
            let store = try StateStore.open(path: statePath)
            let engine = Engine(sources: Engine.standard().sources, sinks: registry, history: store)
            let project = try engine.load(configPath: folder.path + "/kpiwatch.yaml")
            let evaluation = try engine.evaluate(project, asOf: Day(iso: day)!)
            try store.recordRun(asOf: Day(iso: day)!, results: evaluation.results)
            let outcome = engine.deliver(evaluation, project: project, store: store, dryRun: false)
            // Day 2's failure is an error (exit 3) naming the sink; what failed waits in the outbox.
            #expect(outcome.diagnostics.map(\.message).allSatisfy { index == 1 && $0.hasPrefix("sink 'teams': ") })
            #expect(outcome.diagnostics.isEmpty == (index != 1))
            perDay.append((teams.received, weekday.received, outcome.new.count, outcome.resolved.count))
        }
        let log = perDay.enumerated().map { index, day in
            "day \(index + 1): new \(day.new), resolved \(day.resolved); teams got \(day.teams.count), "
                + "weekday got \(day.weekday.count)"
        }
        print(log.joined(separator: "\n"))

        // Day 2 failed for teams: nothing arrived, and all of it arrived on day 3 with day 3's own news.
        #expect(perDay[1].teams.isEmpty)
        #expect(perDay[2].teams.count >= perDay[1].new + perDay[1].resolved)
        // Quiet weekend: nothing to the weekday channel on days 3 and 4; Monday brings what was held.
        #expect(perDay[2].weekday.isEmpty && perDay[3].weekday.isEmpty)
        #expect(!perDay[4].weekday.isEmpty)
        // Each episode's firing (per severity: an escalation is news) and resolved notice reached each channel once.
        for channel in [perDay.flatMap(\.teams), perDay.flatMap(\.weekday)] {
            let keys = channel.map { "\($0.deliveryID)@\($0.firstSeen.iso)/\($0.alert.severity)" }
            #expect(Set(keys).count == keys.count, "no duplicates")
        }
        let allTeams = Set(perDay.flatMap(\.teams).map { "\($0.deliveryID)@\($0.firstSeen.iso)/\($0.alert.severity)" })
        let allWeekday = Set(
            perDay.flatMap(\.weekday).map { "\($0.deliveryID)@\($0.firstSeen.iso)/\($0.alert.severity)" })
        #expect(allTeams == allWeekday, "both channels heard the same news in the end")
        #expect(try StateStore.open(path: statePath).outbox().isEmpty)
    }
}
