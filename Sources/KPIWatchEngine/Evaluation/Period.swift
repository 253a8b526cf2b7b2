import KPIWatchCore

/// One period a KPI is computed for: the inclusive date range records are counted in, and the
/// date that stands for "as of" inside it (the run's as-of date, or a snapshot's own date).
public struct Period: Sendable, Hashable {
    public var start: Day
    public var end: Day
    public var label: String
    /// `as_of` inside expressions while this period is evaluated.
    public var asOf: Day
    /// Position on the time axis in period steps (months, quarters, years), for `trend` and `forecast`.
    public var axis: Double

    public init(start: Day, end: Day, label: String, asOf: Day, axis: Double) {
        self.start = start
        self.end = end
        self.label = label
        self.asOf = asOf
        self.axis = axis
    }

    /// Records dated after the as-of date are never counted.
    package func contains(_ day: Day) -> Bool { day >= start && day <= end && day <= asOf }
}

/// The periods of one KPI for one run, oldest first; the last is the current period.
public struct PeriodPlan: Sendable {
    public var kind: PeriodKind
    public var periods: [Period]
    /// How many leading periods are computed only to give the first shown period its `previous`.
    public var hiddenCount: Int
    /// True when no record falls in two periods, so a binary search finds the one.
    package var disjoint: Bool

    public var current: Period { periods[periods.count - 1] }

    /// Indexes of the periods a record dated `day` counts in.
    package func indexes(containing day: Day, into result: inout [Int]) {
        result.removeAll(keepingCapacity: true)
        if disjoint {
            var low = 0
            var high = periods.count - 1
            while low <= high {
                let mid = (low + high) / 2
                let period = periods[mid]
                if day < period.start {
                    high = mid - 1
                } else if day > period.end {
                    low = mid + 1
                } else {
                    if period.contains(day) { result.append(mid) }
                    return
                }
            }
            return
        }
        for (index, period) in periods.enumerated() where period.contains(day) {
            result.append(index)
        }
    }

    /// The axis position of a date, for `forecast(DATE)`: fractional periods from the current one.
    package func axis(of day: Day) -> Double {
        let current = self.current
        switch kind {
        case .month, .rolling12Months, .snapshot:
            return current.axis + PeriodCalendar.monthsAxis(from: current.end, to: day)
        case .quarter:
            return current.axis + PeriodCalendar.monthsAxis(from: current.end, to: day) / 3
        case .year, .yearToDate:
            return current.axis + PeriodCalendar.monthsAxis(from: current.end, to: day) / 12
        case .all:
            return current.axis
        }
    }
}
