import KPIWatchCore
import KPIWatchEngine

/// Works out the check's summary from the state store as the last recorded run left it: which KPI values changed
/// state, which alerts began or stopped firing, and which are held back. It must run before the run is recorded
/// (that overwrites the day's KPI history) and before delivery (that saves the alerts' new states), because the
/// summary is printed above everything the sinks print. So it takes the pipeline's first stages itself — the same
/// lifecycle, inhibition and silences, on the same stored states — and changes nothing.
public enum SinceLastRun {
    public static func summary(
        _ evaluation: Evaluation, project: LoadedProject, store: StateStore, only: [String]?
    ) throws -> RunSummary {
        let previous = try store.lastRun()
        let before = try previous.map { try store.kpiStates(asOf: $0.asOf) } ?? [:]
        var changes: [RunSummary.StateChange] = []
        for result in evaluation.currentResults {
            guard let from = before[KPIValueKey(result)], from != result.state else { continue }
            changes.append(
                RunSummary.StateChange(
                    kpi: result.id, group: result.group.map(\.text), from: from, to: result.state))
        }

        let policies = DeliveryPipeline.rulePolicies(project.rules)
        let lifecycle = AlertLifecycle(
            asOf: evaluation.asOf, policies: policies,
            assessedRules: Engine.assessedRules(evaluation, project: project, only: only)
        ).advance(evaluation.alerts, known: try store.alertRecords())
        let silenced = Silencing(silences: try store.silences(includeExpired: false), asOf: evaluation.asOf)
            .silenced(lifecycle.firing)
        let inhibited = Inhibition(policies: policies).inhibited(lifecycle.firing)
        // As the sinks count them: a silenced alert is silenced even when it is inhibited too.
        var shown: [AlertNotice] = []
        var silencedCount = 0
        var inhibitedCount = 0
        for record in lifecycle.firing {
            if silenced[record.identity] != nil {
                silencedCount += 1
            } else if inhibited[record.identity] != nil {
                inhibitedCount += 1
            } else {
                shown.append(AlertNotice(alert: record.alert, firstSeen: record.firstSeen))
            }
        }
        // One held back while it fired was never shown; its resolution is not news either.
        let resolved = lifecycle.resolved.filter { $0.silencedBy == nil }.map { record in
            AlertNotice(
                alert: record.alert, status: .resolved, firstSeen: record.firstSeen, resolvedOn: record.resolvedOn)
        }
        return RunSummary(
            previousAsOf: previous?.asOf, changes: changes, firing: shown, resolved: resolved, new: lifecycle.new,
            inhibited: inhibitedCount, silenced: silencedCount)
    }
}
