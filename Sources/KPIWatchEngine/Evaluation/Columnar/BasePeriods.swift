import KPIWatchCore

/// The base periods of every KPI dated by one `date:` expression in a dataset pass: the disjoint runs of days
/// between the starts and ends of all their periods (a month, a year to date, a rolling year, each cut where
/// another begins or ends). Each row's day is placed once per batch, whatever the number of KPIs and periods
/// (overlapping cumulative and rolling periods included); a KPI's period is then a run of base periods.
final class BasePeriods {
    private let date: ColumnarEvaluator
    private let asOf: Day
    private var cuts: Set<Int> = []
    /// Sorted: base period `i` is the days `bounds[i] ..< bounds[i + 1]`.
    private var bounds: [Int] = []
    /// The current batch's base period of each row, −1 for a null date or a day outside every period.
    private(set) var placed: [Int32] = []

    init(date: ColumnarEvaluator, asOf: Day) {
        self.date = date
        self.asOf = asOf
    }

    /// The days a record must fall in to count in `period` (`Period.contains`), nil when none can.
    static func span(of period: Period) -> ClosedRange<Int>? {
        let end = min(period.end, period.asOf).daysSinceEpoch
        let start = period.start.daysSinceEpoch
        return start <= end ? start...end : nil
    }

    /// Makes sure the base periods can tell `plan`'s periods apart; before the first batch.
    func register(_ plan: PeriodPlan) {
        precondition(placed.isEmpty, "a plan registered after the first batch")
        for period in plan.periods {
            guard let span = Self.span(of: period) else { continue }
            cuts.insert(span.lowerBound)
            cuts.insert(span.upperBound + 1)
        }
        bounds = cuts.sorted()
    }

    /// How many base periods there are.
    var count: Int { max(bounds.count - 1, 0) }

    /// The base periods `period` is made of.
    func range(of period: Period) -> Range<Int> {
        guard let span = Self.span(of: period) else { return 0..<0 }
        return index(of: span.lowerBound)!..<index(of: span.upperBound + 1)!
    }

    private func index(of cut: Int) -> Int? {
        var (low, high) = (0, bounds.count)
        while low < high {
            let mid = (low + high) / 2
            if bounds[mid] < cut { low = mid + 1 } else { high = mid }
        }
        return low < bounds.count && bounds[low] == cut ? low : nil
    }

    /// Places every row of `batch` in its base period.
    func place(_ batch: ColumnBatch) {
        guard case .date(let days, let valid) = date.evaluate(batch, asOf: asOf) else {
            preconditionFailure("a date: expression evaluated to a non-date column")
        }
        let bounds = self.bounds
        let last = bounds.count - 1
        placed = (0..<batch.count).map { row in
            guard valid[row], last > 0 else { return -1 }
            let day = days[row]
            guard day >= bounds[0], day < bounds[last] else { return -1 }
            var (low, high) = (0, last)
            // The last bound not after the day.
            while high - low > 1 {
                let mid = (low + high) / 2
                if bounds[mid] <= day { low = mid } else { high = mid }
            }
            return Int32(low)
        }
    }
}
