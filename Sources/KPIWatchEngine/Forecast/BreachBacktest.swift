import KPIWatchCore

/// How well the breach forecast would have done: replay earlier as-of days, forecasting each open case
/// from what was known that day, and score the forecasts against what the extract shows happened.
///
/// Only cases still inside their deadline at a replay are scored (a case already past it is certain,
/// and scoring it would flatter the forecast). A case's outcome is known once its deadline has passed
/// on the extract's last day, so replays end `deadlineDays` before it.
package struct BreachBacktest: Sendable {
    package struct Decile: Sendable, Equatable {
        /// Forecasts with probabilities in [lower, lower + 0.1) (the top decile includes 1).
        package var lower: Double
        package var forecasts: Int
        package var meanPredicted: Double
        package var observed: Double
    }

    package var asOfDays: [Day]
    package var forecasts: Int
    package var brier: Double
    /// The Brier score of forecasting every case at the base rate.
    package var baseRate: Double
    package var baseBrier: Double
    package var deciles: [Decile]
    /// Late cases (unique) in the replays, and those a replay flagged at `flagThreshold` or more
    /// while at least `leadDays` were left before the deadline.
    package var lateCases: Int
    package var lateFlaggedAhead: Int
    /// Cases flagged ahead (unique), and those of them that did turn out late.
    package var flaggedCases: Int
    package var flaggedThatWereLate: Int
    package var flagThreshold: Double
    package var leadDays: Int

    package var skill: Double { baseBrier == 0 ? 0 : 1 - brier / baseBrier }

    /// Replays every month end from `first` to the last one whose open cases' outcomes the extract
    /// (`extract`) shows.
    package static func monthEnds(from first: Day, extract: Day, deadlineDays: Int) -> [Day] {
        var days: [Day] = []
        var day = first.lastOfMonth
        while day.daysSinceEpoch + deadlineDays <= extract.daysSinceEpoch {
            days.append(day)
            day = day.adding(days: 1).lastOfMonth
        }
        return days
    }

    package init(
        cases: [ClockCase], asOfDays: [Day], extract: Day, settings: BreachSettings, flagThreshold: Double = 0.7,
        leadDays: Int = 28
    ) {
        self.asOfDays = asOfDays
        self.flagThreshold = flagThreshold
        self.leadDays = leadDays
        var pairs: [(p: Double, late: Bool)] = []
        var late: Set<String> = []
        var flagged: Set<String> = []
        // An export can repeat a row; the first copy stands for the case.
        let byKey = Dictionary(cases.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for asOf in asOfDays {
            // The extract's day is when its data was read: a field recorded late is unknown at a replay.
            let estimator = BreachEstimator(cases: cases, asOf: asOf, settings: settings, knownOn: extract)
            for estimate in estimator.estimates(for: cases) where estimate.basis != .pastDeadline {
                guard let p = estimate.pBreach, let item = byKey[estimate.key] else { continue }
                let outcome = Self.wasLate(item, extract: extract, deadlineDays: settings.deadlineDays)
                pairs.append((p, outcome))
                if outcome { late.insert(item.key) }
                if p >= flagThreshold, settings.deadlineDays - estimate.ageDays >= leadDays { flagged.insert(item.key) }
            }
        }
        forecasts = pairs.count
        let n = Double(max(pairs.count, 1))
        brier = pairs.reduce(0) { $0 + ($1.p - ($1.late ? 1 : 0)) * ($1.p - ($1.late ? 1 : 0)) } / n
        baseRate = Double(pairs.filter(\.late).count) / n
        baseBrier = baseRate * (1 - baseRate)
        deciles = (0..<10).compactMap { bin in
            let members = pairs.filter { min(Int($0.p * 10), 9) == bin }
            guard !members.isEmpty else { return nil }
            let count = Double(members.count)
            return Decile(
                lower: Double(bin) / 10, forecasts: members.count,
                meanPredicted: members.reduce(0) { $0 + $1.p } / count,
                observed: Double(members.filter(\.late).count) / count)
        }
        lateCases = late.count
        lateFlaggedAhead = late.intersection(flagged).count
        flaggedCases = flagged.count
        flaggedThatWereLate = flagged.intersection(late).count
    }

    /// Whether the clock ran past the deadline, as the extract shows (a stop on or before the deadline
    /// day is on time; the deadline must have passed by the extract's day).
    package static func wasLate(_ item: ClockCase, extract: Day, deadlineDays: Int) -> Bool {
        guard let seen = item.observed(asOf: min(extract, item.start.adding(days: deadlineDays))) else { return false }
        return seen.isRunning
    }
}
