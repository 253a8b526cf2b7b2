import KPIWatchCore

/// Works out the periods of a KPI from its period kind, its history and the as-of date
/// (RULES.md §2 "Periods" and "Semantics pinned down").
public struct PeriodCalendar: Sendable {
    public var asOf: Day
    public var yearStart: YearStart

    public init(asOf: Day, yearStart: YearStart) {
        self.asOf = asOf
        self.yearStart = yearStart
    }

    /// `history` shown periods ending with the current one, plus one hidden period before them so
    /// that the oldest shown period has a `previous` too.
    public func plan(kind: PeriodKind, history: Int, cumulative: Bool) -> PeriodPlan {
        let count = kind == .all ? 1 : history + 1
        var periods: [Period] = []
        for back in stride(from: count - 1, through: 0, by: -1) {
            periods.append(period(kind: kind, back: back, cumulative: cumulative))
        }
        let disjoint = !cumulative && [.month, .quarter, .year].contains(kind)
        return PeriodPlan(kind: kind, periods: periods, hiddenCount: kind == .all ? 0 : 1, disjoint: disjoint)
    }

    /// The period `back` steps before the current one.
    package func period(kind: PeriodKind, back: Int, cumulative: Bool) -> Period {
        let axis = Double(-back)
        switch kind {
        case .month:
            let first = asOf.firstOfMonth.adding(months: -back)
            let last = first.lastOfMonth
            let start = cumulative ? yearStartDay(containing: first) : first
            return Period(start: start, end: last, label: Self.monthLabel(first), asOf: asOf, axis: axis)
        case .quarter:
            let first = asOf.firstOfMonth.adding(months: -((asOf.month - 1) % 3) - 3 * back)
            let last = first.adding(months: 2).lastOfMonth
            let start = cumulative ? yearStartDay(containing: first) : first
            let label = "\(first.year)-Q\((first.month - 1) / 3 + 1)"
            return Period(start: start, end: last, label: label, asOf: asOf, axis: axis)
        case .year:
            let start = yearStartDay(containing: asOf).adding(months: -12 * back)
            let end = start.adding(months: 12).adding(days: -1)
            return Period(start: start, end: end, label: yearLabel(start), asOf: asOf, axis: axis)
        case .yearToDate:
            let start = yearStartDay(containing: asOf).adding(months: -12 * back)
            // Last year's span to 28 February runs to 29 February in a leap year, as add_months(date, 12) maps it.
            let end = Self.monthAligned(asOf, back: 12 * back)
            return Period(start: start, end: end, label: yearLabel(start) + " YTD", asOf: asOf, axis: axis)
        case .rolling12Months:
            let end = Self.monthAligned(asOf, back: back)
            // To a month's end the window is 12 whole months: to 28 February 2025 starts 1 March 2024, not 29 February.
            let start =
                end == end.lastOfMonth
                ? end.firstOfMonth.adding(months: -11) : end.adding(months: -12).adding(days: 1)
            return Period(start: start, end: end, label: "12 months to \(end.iso)", asOf: asOf, axis: axis)
        case .snapshot:
            // Earlier snapshots are taken at the ends of the months before the as-of date.
            let day = back == 0 ? asOf : asOf.firstOfMonth.adding(months: -back).lastOfMonth
            return Period(start: Day(daysSinceEpoch: Int.min / 4), end: day, label: day.iso, asOf: day, axis: axis)
        case .all:
            return Period(start: Day(daysSinceEpoch: Int.min / 4), end: asOf, label: "all", asOf: asOf, axis: 0)
        }
    }

    /// The first day of the (possibly non-calendar) year that contains `day`.
    public func yearStartDay(containing day: Day) -> Day {
        let clampedDay = min(yearStart.day, Day.daysInMonth(year: day.year, month: yearStart.month))
        let thisYear = Day(year: day.year, month: yearStart.month, day: clampedDay)!
        if thisYear <= day { return thisYear }
        let lastDay = min(yearStart.day, Day.daysInMonth(year: day.year - 1, month: yearStart.month))
        return Day(year: day.year - 1, month: yearStart.month, day: lastDay)!
    }

    /// `2023` for calendar years; `2023/24` for years that start on another day (academic, financial).
    package func yearLabel(_ start: Day) -> String {
        if yearStart.month == 1 && yearStart.day == 1 { return String(start.year) }
        let next = (start.year + 1) % 100
        return "\(start.year)/\(next < 10 ? "0" : "")\(next)"
    }

    package static func monthLabel(_ day: Day) -> String {
        "\(day.year)-\(day.month < 10 ? "0" : "")\(day.month)"
    }

    /// A rolling window `back` months earlier ends on the same day of the month, or on the month's
    /// end when the as-of date is a month end (so 31 Jan steps back to 31 Dec, then 30 Nov).
    package static func monthAligned(_ asOf: Day, back: Int) -> Day {
        if back == 0 { return asOf }
        if asOf == asOf.lastOfMonth { return asOf.firstOfMonth.adding(months: -back).lastOfMonth }
        return asOf.adding(months: -back)
    }

    /// Months from `from` to `to` as a real number (whole months plus the fraction of the next).
    package static func monthsAxis(from: Day, to: Day) -> Double {
        let whole = (to.year - from.year) * 12 + (to.month - from.month)
        let fromFraction = Double(from.day) / Double(Day.daysInMonth(year: from.year, month: from.month))
        let toFraction = Double(to.day) / Double(Day.daysInMonth(year: to.year, month: to.month))
        return Double(whole) + toFraction - fromFraction
    }
}
