/// The values of one KPI over its periods, overall and per group, before states are assigned.
struct KPISeries: Sendable {
    var plan: PeriodPlan
    var groupFields: [String]
    var overall: [Double?]
    var overallCounts: [Int?]
    var groups: [GroupKey: [Double?]]
    var groupCounts: [GroupKey: [Int?]]
    /// Set when the KPI could not be evaluated (its dataset is stale or failed to read).
    var blocked: KPIState?

    /// One value in every period: `all` KPIs and single snapshots, for references from other KPIs.
    var isConstant: Bool { plan.kind == .all || (plan.kind == .snapshot && plan.periods.count <= 2) }

    /// The value `back` periods before the current one, for the group `group` (overall if ungrouped).
    func value(back: Int, group: GroupKey, sameGrouping: Bool) -> Double? {
        let index = isConstant ? plan.periods.count - 1 : plan.periods.count - 1 - back
        guard index >= 0 else { return nil }
        if sameGrouping && group != .overall {
            return groups[group]?[index] ?? nil
        }
        return overall[index]
    }
}
