import Foundation

@testable import KPIWatch
@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// A sink that records what it was sent, and fails while told to: the webhook's stand-in.
final class RecordingSink: Sink, @unchecked Sendable {
    let name: String
    private let lock = NSLock()
    private var _received: [[AlertNotice]] = []
    private var _failing = false

    init(name: String) { self.name = name }

    var failing: Bool {
        get { lock.withLock { _failing } }
        set { lock.withLock { _failing = newValue } }
    }

    /// One entry per `send` call (a batch).
    var batches: [[AlertNotice]] { lock.withLock { _received } }
    var received: [AlertNotice] { batches.flatMap { $0 } }

    func reset() { lock.withLock { _received = [] } }

    func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport {
        if failing { return .allFailed(notifications, reason: "HTTP 503 from https://example.invalid/hook") }
        lock.withLock { _received.append(notifications) }
        return .allDelivered(notifications)
    }
}

/// A small project in a temporary folder: open cases per team (a KPI) and cases open past 30 and 52 weeks (case
/// alerts), with `plugin:rec` sinks wired to `RecordingSink`s. Tests rewrite the data between simulated days.
final class LifecycleProject {
    let folder = TemporaryDirectory()
    var sinks: [String: RecordingSink] = [:]

    static let rules = """
        kpis:
          - id: open_cases
            dataset: cases
            period: snapshot
            value: count(closed is null)
            group_by: [team]
            unit: count
            thresholds: { critical: value > 3, warning: value > 1 }
            labels: { team: "{team}", measure: open_cases }
            message: "{team}: {value} open cases"
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

    /// `sinks` is the YAML list under `sinks:`; `extraRules` is appended to the rule file.
    init(sinks sinkYAML: String, rules: String = LifecycleProject.rules, sinkNames: [String] = ["rec"]) {
        for name in sinkNames { sinks[name] = RecordingSink(name: name) }
        folder.write("rules.yaml", rules)
        folder.write(
            "kpiwatch.yaml",
            """
            version: 1
            timezone: Europe/London
            rules: [rules.yaml]
            state: state/state.sqlite
            datasets:
              cases:
                source: csv
                path: cases.csv
                fields:
                  case_id: { column: "Case Ref", type: string, key: true }
                  team: "Team"
                  child_name: { column: "Child Name", personal: true }
                  date_of_birth: { column: "Date of Birth", type: date, personal: true }
                  request_date: { column: "Request Received", type: date }
                  closed: { column: "Closed", type: date }
            sinks:
            \(sinkYAML)
            """)
        setCases([])
    }

    var configPath: String { (folder.path as NSString).appendingPathComponent("kpiwatch.yaml") }
    var statePath: String { (folder.path as NSString).appendingPathComponent("state/state.sqlite") }

    /// Rows: (case, team, request date, closed date or nil); each child gets a distinctive name and birth date.
    func setCases(_ rows: [(String, String, String, String?)]) {
        var text = "Case Ref,Team,Child Name,Date of Birth,Request Received,Closed\n"
        for (index, row) in rows.enumerated() {
            text +=
                "\(row.0),\(row.1),ZZPRIVATE-Ottoline-Quaxley-\(index),2014-03-1\(index % 10),\(row.2),\(row.3 ?? "")\n"
        }
        folder.write("cases.csv", text)
    }

    var engine: Engine {
        var registry = SinkRegistry()
        registry.register(StdoutSink.descriptor)
        registry.register(FileSink.descriptor)
        let sinks = self.sinks
        registry.register(SinkDescriptor(type: "plugin:rec") { config, _ in sinks[config.option("name") ?? "rec"]! })
        return Engine(sources: Engine.standard().sources, sinks: registry)
    }

    /// One `check` as the command runs it, through the library's `CheckRun`: evaluate, record, deliver.
    @discardableResult
    func run(_ asOf: String, dryRun: Bool = false, now: Date = Date()) throws -> DeliveryOutcome {
        for sink in sinks.values { sink.reset() }
        let request = CheckRequest(configPath: configPath, asOf: Day(iso: asOf)!, dryRun: dryRun, now: now)
        let outcome = CheckRun.run(request, engine: engine)
        guard let delivery = outcome.delivery else { throw Diagnostics(outcome.problems) }
        return delivery
    }

    func sink(_ name: String = "rec") -> RecordingSink { sinks[name]! }

    /// A `sinks:` entry for a generic webhook on a `LoopbackHTTPServer`, tried once per run.
    static let loopbackWebhook = """
          - type: webhook
            name: hook
            format: generic
            url: ${env:KPIWATCH_TEST_WEBHOOK}
            allow_http: true
            max_attempts: 1
        """

    /// The environment that points `loopbackWebhook` at `server`.
    static func environment(_ server: LoopbackHTTPServer) -> [String: String] {
        ["KPIWATCH_TEST_WEBHOOK": server.url.absoluteString]
    }

    func store() throws -> StateStore { try StateStore.open(path: statePath) }
}

extension [AlertNotice] {
    /// "firing open_past_30w C1" lines, sorted, for compact expectations.
    var summary: [String] {
        map { "\($0.status.rawValue) \($0.alert.rule) \($0.alert.key ?? $0.alert.group.values.sorted().joined())" }
            .sorted()
    }
}
