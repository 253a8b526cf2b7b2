import KPIWatchCore

/// Earlier runs' states, for `for: N` on `snapshot` and `all` KPIs, which have no periods to look back over.
public protocol RunHistory: Sendable {
    /// How many consecutive earlier runs (before `asOf`, newest first) had this KPI and group at
    /// `severity` or worse.
    func consecutiveRuns(kpi: String, group: [GroupField], atLeast severity: Severity, before asOf: Day) -> Int
}

/// No memory of earlier runs: a `for` on a snapshot KPI counts this run only.
public struct NoRunHistory: RunHistory {
    public init() {}
    public func consecutiveRuns(kpi: String, group: [GroupField], atLeast severity: Severity, before asOf: Day) -> Int {
        0
    }
}
