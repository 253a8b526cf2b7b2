import KPIWatchCore
import KPIWatchEngine

/// One step of a sink's delivery, in the shape of Alertmanager's notify stages: it takes the notices that reached
/// it and returns those that go on to the next stage. A notice a stage does not pass on is never just dropped: the
/// stage puts it in the outbox, or counts why it stays unsent (silenced, repeat suppressed), in `run`.
package protocol DeliveryStage {
    func exec(_ notices: [AlertNotice], in run: inout SinkRun) throws -> [AlertNotice]
}

/// Stages one after another, each given what the one before passed on.
package struct StageChain: DeliveryStage {
    package var stages: [any DeliveryStage]

    package init(_ stages: [any DeliveryStage]) { self.stages = stages }

    package func exec(_ notices: [AlertNotice], in run: inout SinkRun) throws -> [AlertNotice] {
        var passed = notices
        for stage in stages { passed = try stage.exec(passed, in: &run) }
        return passed
    }
}

/// What one sink's delivery has settled so far in a run: what the sink had heard before, what went out, what
/// waits in the outbox, and the counts `check` prints. The stages add to it; the pipeline commits it to the state
/// store in one transaction when the last stage is done.
package struct SinkRun {
    package var sink: String
    package var asOf: Day
    package var summary: SinkDelivery
    /// What the sink has heard, by alert identity and status; a notice that goes out is added.
    package var told: [String: [AlertStatus: NotificationRecord]]
    /// What the outbox held at the start of the run, by episode: a notice of this run already waiting there is
    /// not decided again, and one sent from there keeps its attempts if it fails once more.
    package var queued: [String: OutboxItem] = [:]
    /// What goes (back) in the outbox.
    package var waiting: [OutboxItem] = []
    /// What got through (or, in a dry run, would have), in the order it went out.
    package var delivered: [AlertNotice] = []

    package init(
        sink: String, asOf: Day, summary: SinkDelivery, told: [String: [AlertStatus: NotificationRecord]]
    ) {
        self.sink = sink
        self.asOf = asOf
        self.summary = summary
        self.told = told
    }
}

/// The last stage: marks what got through as heard by the sink, for the stages after an outbox pass and for the
/// state store (Alertmanager's set-notifies stage).
package struct RecordNotified: DeliveryStage {
    package func exec(_ notices: [AlertNotice], in run: inout SinkRun) -> [AlertNotice] {
        for notice in notices {
            let identity = notice.alert.identity
            let previous = run.told[identity]?[notice.status]
            run.told[identity, default: [:]][notice.status] = NotificationRecord(
                sink: run.sink, identity: identity, status: notice.status, lastNotifiedOn: run.asOf,
                count: (previous?.count ?? 0) + 1, severity: notice.alert.severity, firstSeen: notice.firstSeen)
        }
        run.delivered += notices
        return notices
    }
}

/// Holds back, from every sink, firing alerts that a silence or a worse alert holds (stages 2 and 3 decided
/// which); the sink's summary counts them.
package struct HeldBack: DeliveryStage {
    package var inhibited: [String: String]
    package var silenced: [String: String]

    package func exec(_ notices: [AlertNotice], in run: inout SinkRun) -> [AlertNotice] {
        notices.filter { notice in
            guard notice.status == .firing else { return true }
            if silenced[notice.alert.identity] != nil {
                run.summary.silenced += 1
                return false
            }
            if inhibited[notice.alert.identity] != nil {
                run.summary.inhibited += 1
                return false
            }
            return true
        }
    }
}
