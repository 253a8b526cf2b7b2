import Foundation
import KPIWatchCore
import KPIWatchEngine
import KPIWatchHTTPClient
import Logging

/// Alertmanager's notify pipeline, adapted to a daily batch run: lifecycle → inhibition → silences → routing,
/// then per sink the `DeliveryStage`s of `SinkStages` (outbox → repeat interval → send resolved → quiet time →
/// retry → send → record). Each stage is a small type of its own; this only composes them and keeps the state store in step, one transaction per
/// sink, so a run killed between sinks repeats at most one sink's batch. The alerts' new states are saved last:
/// a run killed before that leaves every transition to be decided again by the next run, so no firing or resolved
/// notice is lost with it (docs/alerts.md, "Nothing decided is dropped").
package struct DeliveryPipeline {
    package var project: LoadedProject
    package var store: StateStore
    package var asOf: Day
    package var dryRun: Bool
    package var format: String
    /// Today and the minute of the day in the project's time zone, for quiet hours.
    package var clock: (today: Day, minute: Int)
    package var assessedRules: Set<String>
    /// How the retry stage waits between attempts (tests record the waits instead).
    package var retryClock: DeliveryClock = .system
    /// What listings mark NEW and whether they list every alert (RunContext), from the check that runs this.
    package var newSinceLastRun: Set<String>? = nil
    package var listEveryAlert = false

    package func run(_ alerts: [Alert]) -> DeliveryOutcome {
        var outcome = DeliveryOutcome()
        var diagnostics = DiagnosticCollector()
        // Not a `defer`: that would change the local copy after the return value was taken, and lose the errors.
        func finished() -> DeliveryOutcome {
            outcome.diagnostics = diagnostics.items
            return outcome
        }
        let rulePolicies = Self.rulePolicies(project.rules)
        let policies = project.sinks.map(\.policy)
        // `report` is the recorded report or nil; it is unwrapped only from the capture, which is nil on an error.
        guard let known = diagnostics.capture({ try store.alertRecords() }),
            let silences = diagnostics.capture({ try store.silences(includeExpired: false) }),
            let report = diagnostics.capture({ try store.latestReport(for: asOf) })
        else { return finished() }

        let lifecycle = AlertLifecycle(asOf: asOf, policies: rulePolicies, assessedRules: assessedRules)
            .advance(alerts, known: known)
        outcome.new = lifecycle.new
        outcome.resolved = lifecycle.resolved.map(\.alert)
        let inhibited = Inhibition(policies: rulePolicies).inhibited(lifecycle.firing)
        let silenced = Silencing(silences: silences, asOf: asOf).silenced(lifecycle.firing)
        var records = lifecycle.records
        for index in records.indices {
            records[index].silencedBy = silenced[records[index].identity] ?? inhibited[records[index].identity]
        }

        let routing = Routing(policies: policies)
        var firingBySink = [[AlertRecord]](repeating: [], count: policies.count)
        var resolvedBySink = [[AlertRecord]](repeating: [], count: policies.count)
        for record in lifecycle.firing {
            for index in routing.sinks(for: record.alert) { firingBySink[index].append(record) }
        }
        for record in lifecycle.resolved {
            for index in routing.sinks(for: record.alert) { resolvedBySink[index].append(record) }
        }
        for (index, configured) in project.sinks.enumerated() {
            let stage = SinkStages(
                sink: configured.sink, isTerminal: configured.writesToTerminal, policy: configured.policy,
                rulePolicies: rulePolicies, report: report, pipeline: self)
            let held = HeldBack(inhibited: inhibited, silenced: silenced)
            if let delivery = diagnostics.capture({
                try stage.run(
                    firing: firingBySink[index], resolved: resolvedBySink[index], held: held)
            }) {
                outcome.sinks.append(delivery)
                if let failure = delivery.failureDiagnostic(at: configured.config.location) {
                    diagnostics.add(failure)
                }
            }
        }
        if !dryRun { diagnostics.capture { try store.saveAlerts(records) } }
        return finished()
    }

    package static func rulePolicies(_ rules: RuleSet) -> [String: AlertPolicy] {
        var policies: [String: AlertPolicy] = [:]
        for kpi in rules.kpis { policies[kpi.id] = kpi.policy }
        for alert in rules.caseAlerts { policies[alert.id] = alert.policy }
        return policies
    }
}

/// The per-sink stages, composed for one sink: held back (silences, inhibition) → outbox → repeat interval → send
/// resolved → quiet time → retry and send → record. Each is a `DeliveryStage`; what they settle is committed to the
/// state store in one transaction.
package struct SinkStages {
    package var sink: any Sink
    /// The stdout sink prints the run; a dry run still prints, and sends nowhere else.
    package var isTerminal: Bool
    package var policy: SinkPolicy
    package var rulePolicies: [String: AlertPolicy]
    /// The report chat digests point to, read from the store when the run started.
    package var report: RecordedReport?
    package var pipeline: DeliveryPipeline

    package func run(firing: [AlertRecord], resolved: [AlertRecord], held: HeldBack) throws -> SinkDelivery {
        let asOf = pipeline.asOf
        let store = pipeline.store
        var run = SinkRun(
            sink: policy.name, asOf: asOf,
            summary: SinkDelivery(sink: policy.name, dryRun: pipeline.dryRun && !isTerminal),
            told: try store.notifications(sink: policy.name))
        let quiet = QuietTime(schedule: policy.quiet, asOf: asOf, clock: pipeline.clock)
        let quietUntil = quiet.heldUntil
        let delivery = StageChain(sendStages + [RecordNotified()])
        let stages = StageChain([
            held,
            Outbox.Stage(
                plan: Outbox(asOf: asOf, quietUntil: quietUntil).plan(try store.outbox(sink: policy.name)),
                delivery: delivery),
            RepeatInterval(sinkInterval: policy.repeatInterval, policies: rulePolicies, asOf: asOf),
            SendResolved(sinkSends: policy.sendResolved, policies: rulePolicies, quietUntil: quietUntil),
            quiet,
            delivery,
        ])
        let notices =
            firing.map(Self.firing)
            + resolved.map {
                AlertNotice(alert: $0.alert, status: .resolved, firstSeen: $0.firstSeen, resolvedOn: $0.resolvedOn)
            }
        _ = try stages.exec(notices, in: &run)
        Self.log(run)
        run.summary.sent = run.delivered.filter { $0.status == .firing }.count
        run.summary.resolved = run.delivered.filter { $0.status == .resolved }.count

        if !pipeline.dryRun {
            try store.commitDelivery(sink: policy.name, on: asOf, delivered: run.delivered, waiting: run.waiting)
        }
        return run.summary
    }

    /// Retry and send, unless this is a dry run of a sink other than the terminal: that counts what would be sent.
    private var sendStages: [any DeliveryStage] {
        guard !pipeline.dryRun || isTerminal else { return [] }
        let context = RunContext(
            asOf: pipeline.asOf, projectFile: pipeline.project.config.file, dryRun: pipeline.dryRun,
            format: pipeline.format, newSinceLastRun: pipeline.newSinceLastRun,
            listEveryAlert: pipeline.listEveryAlert, report: report)
        return [
            SinkSender(
                sink: RetryingSink(sink, clock: pipeline.retryClock), groupBy: policy.groupBy, context: context)
        ]
    }

    /// `check -v`: each notice's fate, by delivery id (rule, group values, case id, status). An alert never holds
    /// a personal field and a reason never a URL, so neither reaches the log.
    private static func log(_ run: SinkRun) {
        let logger = Logger(label: "kpiwatch.delivery")
        let verb = run.summary.dryRun ? "would send" : "sent"
        for notice in run.delivered { logger.debug("sink \(run.sink): \(verb) \(notice.deliveryID)") }
        for item in run.waiting {
            let why = item.heldUntil.map { "held until \($0.iso)" } ?? item.lastError ?? "waits"
            logger.debug("sink \(run.sink): outbox \(item.deliveryID) (\(why))")
        }
    }

    package static func firing(_ record: AlertRecord) -> AlertNotice {
        AlertNotice(alert: record.alert, status: .firing, firstSeen: record.firstSeen)
    }
}
