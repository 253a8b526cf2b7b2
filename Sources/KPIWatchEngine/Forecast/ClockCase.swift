import KPIWatchCore

/// One case of a statutory clock as the extract holds it: the day the clock started, the days it
/// could have stopped, the days it reached each stage, and the group it belongs to.
///
/// The dates are the extract's, so some may lie after the day a forecast is made for;
/// `observed(asOf:)` is the only way to read them, and it hides every date after that day, so a
/// forecast (and a backtest replaying an earlier day) uses only what was known then.
package struct ClockCase: Sendable, Equatable {
    package var key: String
    package var start: Day
    /// Dates that stop the clock, in the forecast's `end:` order; the first is the outcome
    /// (a final plan), the others close the case without one (refusal, withdrawal).
    package var ends: [Day?]
    /// Dates marking progress, in the forecast's `stages:` order.
    package var stages: [Day?]
    package var group: String?
    /// The forecast's `where` leaves the case out only because of a `recorded_late:` field (an exception
    /// reason). The extract shows that field as it stood on the day the data was read, but it may have
    /// been filled in at any time before the clock stopped: see `covered(asOf:knownOn:)`.
    package var leftOutByLateField: Bool

    package init(
        key: String, start: Day, ends: [Day?], stages: [Day?] = [], group: String? = nil,
        leftOutByLateField: Bool = false
    ) {
        self.key = key
        self.start = start
        self.ends = ends
        self.stages = stages
        self.group = group
        self.leftOutByLateField = leftOutByLateField
    }

    /// Whether the forecast covers the case on `asOf`, the data being as read on `knownOn`. A case left
    /// out by a late-recorded field is covered on an earlier day while its clock still ran: nobody could
    /// have known then that it would be left out (a replay that dropped it would score the forecast on
    /// knowledge from the future). Once its clock stops, the field is taken as recorded.
    package func covered(asOf: Day, knownOn: Day) -> Bool {
        guard leftOutByLateField else { return true }
        return asOf < knownOn && observed(asOf: asOf)?.isRunning == true
    }

    /// The case as it stood at the end of `asOf`, or nil when it had not started by then.
    package func observed(asOf: Day) -> ClockObservation? {
        guard start <= asOf else { return nil }
        var stop: (day: Day, end: Int)?
        for (index, end) in ends.enumerated() {
            // The earliest stop wins; a stop on the as-of day has happened (the case is no longer open).
            if let end, end <= asOf, stop.map({ end < $0.day }) ?? true { stop = (end, index) }
        }
        let known = stages.map { day in day.flatMap { $0 <= asOf ? $0 : nil } }
        if let stop {
            return ClockObservation(
                days: stop.day.daysSinceEpoch - start.daysSinceEpoch, stoppedBy: stop.end, start: start,
                stages: known, group: group)
        }
        return ClockObservation(
            days: asOf.daysSinceEpoch - start.daysSinceEpoch, stoppedBy: nil, start: start, stages: known,
            group: group)
    }
}

/// A case seen from one as-of day: how long its clock ran (to its stop, or to the as-of day while it
/// still runs) and the stage dates known by then.
package struct ClockObservation: Sendable, Equatable {
    /// Days from the start to the stop, or to the as-of day for a case still running (censored).
    package var days: Int
    /// Which `ends` entry stopped the clock; nil while it runs.
    package var stoppedBy: Int?
    package var start: Day
    package var stages: [Day?]
    package var group: String?

    package var isRunning: Bool { stoppedBy == nil }

    /// The stage reached by `age` days after the start: the stage whose date is the latest of those on
    /// or before that day (a later-listed stage wins a tie); nil before the first stage.
    package func stage(atAge age: Int) -> Int? {
        let cutoff = start.adding(days: age)
        var best: (day: Day, index: Int)?
        for (index, day) in stages.enumerated() {
            guard let day, day <= cutoff else { continue }
            if best.map({ day >= $0.day }) ?? true { best = (day, index) }
        }
        return best?.index
    }
}
