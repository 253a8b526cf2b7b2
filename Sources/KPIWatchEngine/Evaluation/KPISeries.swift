import KPIWatchCore

/// The values of one KPI over its periods, overall and per group, before states are assigned.
package struct KPISeries: Sendable {
    package var plan: PeriodPlan
    package var groupFields: [String]
    package var overall: [Double?]
    package var overallCounts: [Int?]
    package var groups: [GroupKey: [Double?]]
    package var groupCounts: [GroupKey: [Int?]]
    /// Set when the KPI could not be evaluated (its dataset is stale or failed to read).
    package var blocked: KPIState?

    /// One value in every period: `all` KPIs and single snapshots, for references from other KPIs.
    package var isConstant: Bool { plan.kind == .all || (plan.kind == .snapshot && plan.periods.count <= 2) }

    /// The value `back` periods before the current one, for the group `group` (overall if ungrouped).
    package func value(back: Int, group: GroupKey, sameGrouping: Bool) -> Double? {
        let index = isConstant ? plan.periods.count - 1 : plan.periods.count - 1 - back
        guard index >= 0 else { return nil }
        if sameGrouping && group != .overall {
            return groups[group]?[index] ?? nil
        }
        return overall[index]
    }
}
