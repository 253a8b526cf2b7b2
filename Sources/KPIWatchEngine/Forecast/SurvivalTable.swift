import KPIWatchCore

/// A Kaplan–Meier table of how long a clock runs, from stopped cases (events) and running ones
/// (censored at the day they were last seen running).
///
/// Ties follow the usual convention: a case censored at day t was still running at t, so it is in
/// the risk set of an event at t. Only days on which some clock stopped get a row.
package struct SurvivalTable: Sendable, Equatable {
    package struct Row: Sendable, Equatable {
        package var day: Int
        /// Cases whose clock was still running at the start of `day` (stopped on or after it, or
        /// censored on or after it).
        package var atRisk: Int
        package var events: Int
        /// Events that were the outcome (the first `end:`), not a closure without one.
        package var outcomeEvents: Int
        /// S(day): the share of clocks still running after `day`.
        package var survival: Double
    }

    package private(set) var rows: [Row]
    package let cases: Int
    /// Observation times, ascending, for counting who is still at risk after a given day.
    private let sortedDays: [Int]

    package init(_ observations: some Sequence<ClockObservation>) {
        var stops: [Int: (events: Int, outcome: Int)] = [:]
        var days: [Int] = []
        for observation in observations {
            days.append(observation.days)
            if let end = observation.stoppedBy {
                stops[observation.days, default: (0, 0)].events += 1
                if end == 0 { stops[observation.days, default: (0, 0)].outcome += 1 }
            }
        }
        days.sort()
        sortedDays = days
        cases = days.count
        var survival = 1.0
        var rows: [Row] = []
        for day in stops.keys.sorted() {
            let atRisk = days.count - Self.countBelow(day, in: days)
            let (events, outcome) = stops[day]!
            survival *= 1 - Double(events) / Double(atRisk)
            rows.append(Row(day: day, atRisk: atRisk, events: events, outcomeEvents: outcome, survival: survival))
        }
        self.rows = rows
    }

    /// Cases known to be running after `day`: those observed for longer than it.
    package func runningAfter(_ day: Int) -> Int { cases - Self.countBelow(day + 1, in: sortedDays) }

    /// Whether the curve says anything about `day`: some case was seen for that long, or every clock
    /// had stopped before it. Past the longest observation a Kaplan–Meier curve is not defined; reading
    /// it there as flat would claim that clocks nobody watched that long never stop.
    package func reaches(_ day: Int) -> Bool { (sortedDays.last ?? Int.min) >= day || rows.last?.survival == 0 }

    /// P(T > `through` | T > `after`): the product of (1 − events / at risk) over the event days in
    /// (after, through]. An empty product is 1: nothing in the history stopped in that span.
    package func stillRunning(through: Int, after: Int) -> Double {
        var product = 1.0
        for row in rows where row.day > after && row.day <= through {
            product *= 1 - Double(row.events) / Double(row.atRisk)
        }
        return product
    }

    /// The day the clock stops for a uniform draw `u` in [0, 1), given it runs after `after`, and
    /// whether the stop is the outcome (decided by `v` in [0, 1) against that day's share of
    /// outcomes); nil when the draw lies beyond the last stop in the history (still running then).
    /// Inverts the conditional curve S(t) / S(after) by binary search: simulations draw thousands of times.
    package func drawStop(after: Int, u: Double, v: Double) -> (day: Int, outcome: Bool)? {
        let first = firstRow(after: after)
        let base = first == 0 ? 1.0 : rows[first - 1].survival
        let target = u * base
        var low = first
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].survival <= target { high = middle } else { low = middle + 1 }
        }
        guard low < rows.count else { return nil }
        let row = rows[low]
        return (row.day, v * Double(row.events) < Double(row.outcomeEvents))
    }

    /// The index of the first row whose day is after `day`.
    private func firstRow(after day: Int) -> Int {
        var low = 0
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].day <= day { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func countBelow(_ day: Int, in sorted: [Int]) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < day { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
