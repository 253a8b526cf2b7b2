import Foundation
import KPIWatchCore
import KPIWatchEngine

/// Alertmanager's notify pipeline, adapted to a daily batch run: lifecycle → inhibition → silences → routing,
/// then per sink outbox retry → repeat interval / send resolved → quiet time → deliver → set notified. Each stage
/// is a small type of its own; this only composes them and keeps the state store in step, one transaction per
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
        guard let known = diagnostics.capture({ try store.alertRecords() }),
            let silences = diagnostics.capture({ try store.silences(includeExpired: false) })
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
                sink: configured.sink, isTerminal: configured.config.type == "stdout", policy: configured.policy,
                rulePolicies: rulePolicies, pipeline: self)
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

/// Why alerts are held back from every sink in this run.
package struct HeldBack {
    package var inhibited: [String: String]
    package var silenced: [String: String]
}

/// The per-sink stages, run for one sink.
package struct SinkStages {
    package var sink: any Sink
    /// The stdout sink prints the run; a dry run still prints, and sends nowhere else.
    package var isTerminal: Bool
    package var policy: SinkPolicy
    package var rulePolicies: [String: AlertPolicy]
    package var pipeline: DeliveryPipeline

    package func run(firing: [AlertRecord], resolved: [AlertRecord], held: HeldBack) throws
        -> SinkDelivery
    {
        let asOf = pipeline.asOf
        let store = pipeline.store
        let sends = !pipeline.dryRun || isTerminal
        var summary = SinkDelivery(sink: policy.name, dryRun: pipeline.dryRun && !isTerminal)
        var told = try store.notifications(sink: policy.name)
        let quietUntil = QuietTime(schedule: policy.quiet, asOf: asOf, clock: pipeline.clock).heldUntil
        let context = RunContext(
            asOf: asOf, projectFile: pipeline.project.config.file, dryRun: pipeline.dryRun, format: pipeline.format)
        let deliver = SinkSender(sink: sink, groupBy: policy.groupBy, context: context)
        var delivered: [AlertNotice] = []
        var waiting: [OutboxItem] = []

        // The outbox goes first, each item once, in the order its notices were decided.
        let outbox = Outbox(asOf: asOf, quietUntil: quietUntil).plan(try store.outbox(sink: policy.name))
        waiting += outbox.waiting
        summary.held += outbox.waiting.count
        let queued = Dictionary(
            (outbox.due + outbox.waiting).map { ($0.episodeID, $0) }, uniquingKeysWith: { a, _ in a })
        if sends, !outbox.due.isEmpty {
            let result = deliver(outbox.due.map(\.notification))
            delivered += result.delivered
            summary.fromOutbox += result.delivered.count
            for (notification, reason) in result.failed {
                waiting.append(
                    Outbox.failed(
                        notification, reason: reason, previous: queued[notification.episodeID], sink: policy.name,
                        on: asOf))
                summary.noteFailure(reason)
            }
        } else if !outbox.due.isEmpty {
            summary.fromOutbox += outbox.due.count
            delivered += outbox.due.map(\.notification)
        }
        for notification in delivered { record(notification, in: &told) }

        // Then what this run has to say, less what the channel already heard or still waits for.
        var fresh: [AlertNotice] = []
        let repeats = RepeatInterval(sinkInterval: policy.repeatInterval, policies: rulePolicies, asOf: asOf)
        for record in firing {
            if held.silenced[record.identity] != nil {
                summary.silenced += 1
            } else if held.inhibited[record.identity] != nil {
                summary.inhibited += 1
            } else if queued[Self.firing(record).episodeID] != nil {
                continue
            } else if repeats.isDue(record, told: told[record.identity]) {
                fresh.append(Self.firing(record))
            } else {
                summary.repeatSuppressed += 1
            }
        }
        // A resolved notice follows its firing notice: while that still waits in the outbox, so does this one.
        let resolvedNotices = SendResolved(sinkSends: policy.sendResolved, policies: rulePolicies)
        let stillWaiting = Set(waiting.map(\.episodeID))
        for record in resolved {
            let notice = AlertNotice(
                alert: record.alert, status: .resolved, firstSeen: record.firstSeen, resolvedOn: record.resolvedOn)
            guard queued[notice.episodeID] == nil else { continue }
            let behindFiring = stillWaiting.contains(Self.firing(record).episodeID)
            guard resolvedNotices.isDue(record, told: told[record.identity], firingQueued: behindFiring) else {
                continue
            }
            if behindFiring {
                waiting.append(
                    OutboxItem(
                        sink: policy.name, notification: notice, heldUntil: quietUntil,
                        lastError: quietUntil == nil ? SinkSender.behindEarlierNotice : nil, createdOn: asOf))
                summary.held += 1
            } else {
                fresh.append(notice)
            }
        }

        if let quietUntil {
            for notification in fresh {
                waiting.append(
                    OutboxItem(sink: policy.name, notification: notification, heldUntil: quietUntil, createdOn: asOf))
            }
            summary.held += fresh.count
        } else if sends {
            let result = deliver(fresh)
            delivered += result.delivered
            for (notification, reason) in result.failed {
                waiting.append(Outbox.failed(notification, reason: reason, previous: nil, sink: policy.name, on: asOf))
                summary.noteFailure(reason)
            }
        } else {
            delivered += fresh
        }
        summary.sent = delivered.filter { $0.status == .firing }.count
        summary.resolved = delivered.filter { $0.status == .resolved }.count

        if !pipeline.dryRun {
            try store.commitDelivery(sink: policy.name, on: asOf, delivered: delivered, waiting: waiting)
        }
        return summary
    }

    package static func firing(_ record: AlertRecord) -> AlertNotice {
        AlertNotice(alert: record.alert, status: .firing, firstSeen: record.firstSeen)
    }

    private func record(_ notification: AlertNotice, in told: inout [String: [AlertStatus: NotificationRecord]]) {
        let identity = notification.alert.identity
        let previous = told[identity]?[notification.status]
        told[identity, default: [:]][notification.status] = NotificationRecord(
            sink: policy.name, identity: identity, status: notification.status, lastNotifiedOn: pipeline.asOf,
            count: (previous?.count ?? 0) + 1, severity: notification.alert.severity.rawValue,
            firstSeen: notification.firstSeen)
    }
}
