import Foundation
import KPIWatchCore
import KPIWatchEngine

extension Engine {
    /// Runs this evaluation's alerts through the delivery pipeline (lifecycle, inhibition, silences, routing,
    /// outbox, repeat interval, send resolved, quiet times, delivery) and keeps `store` in step. A dry run sends
    /// only to the terminal (stdout) and changes nothing; pass it a store opened read-only. `newSinceLastRun` and
    /// `listEveryAlert` are passed on to the sinks (RunContext) for what a listing marks NEW and shows.
    public func deliver(
        _ evaluation: Evaluation, project: LoadedProject, store: StateStore, dryRun: Bool, format: String = "text",
        only: [String]? = nil, now: Date = Date(), newSinceLastRun: Set<String>? = nil, listEveryAlert: Bool = false
    ) -> DeliveryOutcome {
        let pipeline = DeliveryPipeline(
            project: project, store: store, asOf: evaluation.asOf, dryRun: dryRun || store.readOnly,
            format: format, clock: Self.clock(in: project.config.timezone, now: now),
            assessedRules: Self.assessedRules(evaluation, project: project, only: only),
            newSinceLastRun: newSinceLastRun, listEveryAlert: listEveryAlert)
        return pipeline.run(evaluation.alerts)
    }

    /// Rules whose alerts this run can vouch for: a rule left out by `--only`, or whose data could not be read,
    /// says nothing about whether its alerts cleared.
    package static func assessedRules(_ evaluation: Evaluation, project: LoadedProject, only: [String]?) -> Set<String>
    {
        let selection = try? Selection(project.compiled, only: only)
        var rules: Set<String> = []
        for result in evaluation.results where result.current && result.state != .error && result.state != .stale {
            rules.insert(result.id)
        }
        for alert in project.compiled.caseAlerts where selection?.caseAlerts.contains(alert.rule.id) ?? true {
            let outcome = evaluation.datasets.first { $0.name == alert.rule.dataset.name }
            if outcome?.status == .ok { rules.insert(alert.rule.id) }
        }
        return rules
    }

    package static func clock(in timezone: String, now: Date) -> (today: Day, minute: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        return (today(in: timezone, now: now), (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }
}
