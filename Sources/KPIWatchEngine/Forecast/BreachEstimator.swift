import KPIWatchCore

/// Each open case's chance of missing a statutory deadline, learnt from the service's own history.
///
/// Method (docs/forecasts.md): a landmark Kaplan–Meier estimate. For an open case aged `a` days at
/// stage `s`, the history is the cases started in the training window that were still running after
/// day `a` of their own clock and had reached stage `s` by then (and, with `by:`, belong to the same
/// group). Their Kaplan–Meier curve, running cases censored at the as-of day, gives
/// P(T > deadline | T > a) = Π over stop days t in (a, deadline] of (1 − stops_t / at risk_t).
/// The landmark is the exact age rather than its whole week: on the demo's backtest the weekly
/// landmark mixed cases a few days further on and scored a Brier skill of 0.199 instead of 0.205.
/// A group's curve needs `minimumSample` cases still running after day `a`, and a history that reaches
/// the deadline, else the stage's curve of every group is used, else every case at that age whatever
/// its stage (the pooled curve, `fewCases` when it too is small). A pooled curve whose cases were never
/// seen as far as the deadline gives no probability (`shortHistory`).
package struct BreachEstimator: Sendable {
    package let asOf: Day
    /// The day the cases' data was read: fields recorded late are known as of then (`ClockCase.covered`).
    package let knownOn: Day
    package let settings: BreachSettings
    private let history: [ClockObservation]
    /// With no `by:`, every case has no group and the group's curve would only repeat the stage's.
    private let grouped: Bool

    /// `knownOn` defaults to `asOf`: a forecast made on the day the data was read.
    package init(cases: [ClockCase], asOf: Day, settings: BreachSettings, knownOn: Day? = nil) {
        self.asOf = asOf
        let knownOn = max(knownOn ?? asOf, asOf)
        self.knownOn = knownOn
        self.settings = settings
        let earliest = settings.trainingWindowMonths.map { asOf.adding(months: -$0) }
        history = cases.compactMap { item in
            if let earliest, item.start <= earliest { return nil }
            guard item.covered(asOf: asOf, knownOn: knownOn) else { return nil }
            return item.observed(asOf: asOf)
        }
        grouped = history.contains { $0.group != nil }
    }

    /// The forecast for every case still running at the as-of day, in the order given.
    package func estimates(for cases: [ClockCase]) -> [BreachEstimate] {
        var curves = CurveCache()
        return cases.compactMap { estimate(for: $0, curves: &curves) }
    }

    /// The forecast for one case, or nil when it is not running at the as-of day (or not covered then).
    package func estimate(for item: ClockCase) -> BreachEstimate? {
        var curves = CurveCache()
        return estimate(for: item, curves: &curves)
    }

    /// The curve an open case of this age, stage and group is forecast from, with its basis: the
    /// workload simulation draws remaining times from it.
    package func curve(ageDays: Int, stage: Int?, group: String?) -> (table: SurvivalTable, basis: BreachEstimate.Basis)
    {
        var curves = CurveCache()
        return curve(ageDays: ageDays, stage: stage, group: group, curves: &curves)
    }

    /// The forecast for one case, reusing the curves of earlier calls kept in `curves`.
    package func estimate(for item: ClockCase, curves: inout CurveCache) -> BreachEstimate? {
        guard item.covered(asOf: asOf, knownOn: knownOn), let seen = item.observed(asOf: asOf), seen.isRunning
        else { return nil }
        let age = seen.days
        let stage = seen.stage(atAge: age)
        var result = BreachEstimate(
            key: item.key, ageDays: age, stage: stage, group: item.group, pBreach: 1, basis: .pastDeadline,
            sample: 0)
        guard age < settings.deadlineDays else { return result }
        let (table, basis) = curve(ageDays: age, stage: stage, group: item.group, curves: &curves)
        result.basis = basis
        result.sample = table.runningAfter(age)
        result.pBreach =
            basis == .noHistory || basis == .shortHistory
            ? nil : table.stillRunning(through: settings.deadlineDays, after: age)
        return result
    }

    private func curve(ageDays: Int, stage: Int?, group: String?, curves: inout CurveCache)
        -> (table: SurvivalTable, basis: BreachEstimate.Basis)
    {
        var candidates: [(CurveKey, BreachEstimate.Basis)] = []
        if grouped {
            candidates.append((CurveKey(age: ageDays, stage: .some(stage), group: .some(group)), .groupAndStage))
        }
        candidates.append((CurveKey(age: ageDays, stage: .some(stage), group: nil), .stage))
        candidates.append((CurveKey(age: ageDays, stage: nil, group: nil), .pooled))
        var last: SurvivalTable?
        for (key, basis) in candidates {
            let table = curves.table(for: key) { makeTable(key) }
            if table.runningAfter(ageDays) >= settings.minimumSample, table.reaches(settings.deadlineDays) {
                return (table, basis)
            }
            last = table
        }
        // The pooled curve holds every narrower one, so when it falls short there is nothing broader.
        guard let last, last.runningAfter(ageDays) > 0 else { return (last ?? SurvivalTable([]), .noHistory) }
        // A history younger than the deadline would read as "nobody stops": p = 1 from cases never watched
        // that long (a service's first months, a new team).
        guard last.reaches(settings.deadlineDays) else { return (last, .shortHistory) }
        return (last, .fewCases)
    }

    private func makeTable(_ key: CurveKey) -> SurvivalTable {
        SurvivalTable(
            history.lazy.filter { seen in
                guard seen.days > key.age else { return false }
                if let stage = key.stage, seen.stage(atAge: key.age) != stage { return false }
                if let group = key.group, seen.group != group { return false }
                return true
            })
    }
}

/// Which cases a curve is learnt from: running after day `age`; `stage` and `group` nil for "any",
/// `.some(nil)` for "before the first stage" and "no group".
private struct CurveKey: Hashable {
    var age: Int
    var stage: Int??
    var group: String??
}

/// The curves an estimator has learnt so far, by the cases they are learnt from.
package struct CurveCache {
    private var tables: [CurveKey: SurvivalTable] = [:]

    package init() {}

    fileprivate mutating func table(for key: CurveKey, make: () -> SurvivalTable) -> SurvivalTable {
        if let table = tables[key] { return table }
        let table = make()
        tables[key] = table
        return table
    }
}
