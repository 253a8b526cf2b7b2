import Foundation
import KPIWatch
import KPIWatchAlerts
import KPIWatchCore
import KPIWatchEngine

/// `swift run -c release kpiwatch-bench pipeline [ALERTS]`: times the whole delivery pipeline (lifecycle,
/// inhibition, silences, routing, outbox, repeat interval, send resolved, delivery to two file sinks and the
/// state store's transactions) over ALERTS case alerts (default 100,000) on three days: every alert fires, every
/// alert is still firing (repeats suppressed), every alert resolves. Evaluation is timed apart from delivery.
enum PipelineBenchmark {
    static let rules = """
        case_alerts:
          - id: open_past_30w
            dataset: cases
            key: case_id
            where: closed is null and weeks_between(request_date, as_of) >= 30
            severity: warning
            labels: { team: "{team}" }
            message: "Case {case_id} ({team}) is past 30 weeks"
          - id: open_past_52w
            dataset: cases
            key: case_id
            where: closed is null and weeks_between(request_date, as_of) >= 52
            severity: critical
            inhibits: [open_past_30w]
            labels: { team: "{team}" }
            message: "Case {case_id} ({team}) is past 52 weeks"

        """

    static func run(alerts: Int) throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("kpiwatch-pipeline-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        // Half the cases are past 52 weeks (a critical alert that inhibits their 30-week warning), half past 30
        // only: 3 alerts per 2 cases.
        let cases = max(2, alerts * 2 / 3)
        try write(cases: cases, closed: false, to: work)
        try rules.write(to: work.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        let config = work.appendingPathComponent("kpiwatch.yaml")
        try """
        version: 1
        rules: [rules.yaml]
        state: state/state.sqlite
        datasets:
          cases:
            source: csv
            path: cases.csv
            fields:
              case_id: { column: case_id, key: true }
              team: team
              request_date: { column: request_date, type: date }
              closed: { column: closed, type: date }
        sinks:
          - { type: file, path: out/all.jsonl, max_bytes: 1000000000 }
          - { type: file, path: out/north.jsonl, match: { team: North }, group_by: [team], max_bytes: 1000000000 }

        """.write(to: config, atomically: true, encoding: .utf8)

        let statePath = work.appendingPathComponent("state/state.sqlite").path
        for (day, closed) in [("2026-10-29", false), ("2026-10-30", false), ("2026-10-31", true)] {
            if closed { try write(cases: cases, closed: true, to: work) }
            let store = try StateStore.open(path: statePath)
            let engine = Engine.standard(history: store)
            let project = try engine.load(configPath: config.path)
            var start = Date()
            let evaluation = try engine.evaluate(project, asOf: Day(iso: day)!)
            let evaluated = Date().timeIntervalSince(start)
            start = Date()
            let cpu = cpuSeconds()
            let outcome = engine.deliver(evaluation, project: project, store: store, dryRun: false)
            let delivered = Date().timeIntervalSince(start)
            let busy = cpuSeconds() - cpu
            // Alerts through the pipeline: this run's, and those that resolved in it.
            let handled = evaluation.alerts.count + outcome.resolved.count
            print(
                "\(day): \(handled) case alerts through the pipeline (\(outcome.resolved.count) resolving); evaluated in "
                    + "\(format(evaluated)) s; delivery pipeline \(format(delivered)) s wall, \(format(busy)) s CPU "
                    + "(\(format(Double(handled) / busy / 1000)) k alerts per CPU second)")
            print("  " + outcome.sinks.map(\.summary).joined(separator: "; "))
            for diagnostic in outcome.diagnostics { print("  \(diagnostic)") }
        }
    }

    static func write(cases: Int, closed: Bool, to folder: URL) throws {
        var text = "case_id,team,request_date,closed\n"
        text.reserveCapacity(cases * 40)
        for index in 0..<cases {
            let team = ["North", "South", "East", "West"][index % 4]
            let requested = index % 2 == 0 ? "2025-09-01" : "2026-03-01"
            text += "C\(index),\(team),\(requested),\(closed ? "2026-10-30" : "")\n"
        }
        try text.write(to: folder.appendingPathComponent("cases.csv"), atomically: true, encoding: .utf8)
    }

    /// User and system time of this process so far: on a shared machine, wall time measures the neighbours.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
