import Foundation
import KPIWatchCore

/// The next months' requests, open assessments, plans issued and timeliness, simulated from the
/// service's own history (docs/forecasts.md, "Workload projection"):
/// - requests: Poisson draws around a seasonal index times a straight-line trend (`RequestTrend`);
/// - each new request's clock, and each open case's remaining time, drawn from the same Kaplan–Meier
///   curves the breach forecast uses (closures without a plan, such as refusals, are the curve's
///   other stops: the decision-to-assess rate is in the curve);
/// - plans falling due beyond the month's capacity (assessment FTE × the plans per FTE of the
///   busiest month of the last twelve) wait for the next month.
package struct WorkloadModel: Sendable {
    package struct Row: Sendable, Equatable {
        package var month: Day
        package var measure: WorkloadMeasure
        package var band: Band
    }

    package let asOf: Day
    package let trend: RequestTrend
    /// Plans a month one FTE can issue; nil without staff figures (no capacity limit).
    package let plansPerFTE: Double?
    package let baseFTE: Double?
    private let deadlineDays: Int
    private let newCase: SurvivalTable
    private let open: [(start: Day, age: Int, curve: SurvivalTable)]

    /// `fte` is the assessment officers' FTE the history was worked with (nil: no capacity limit).
    /// Cases left out by a late-recorded field stay out (docs/forecasts.md: the workload counts the
    /// cases the export shows in `where` today, in its projections as in the figures they are checked on).
    package init(cases: [ClockCase], asOf: Day, settings: BreachSettings, fte: Double?) {
        let cases = cases.filter { !$0.leftOutByLateField }
        self.asOf = asOf
        deadlineDays = settings.deadlineDays
        let estimator = BreachEstimator(cases: cases, asOf: asOf, settings: settings)
        newCase = estimator.curve(ageDays: 0, stage: nil, group: nil).table
        open = cases.compactMap { item in
            guard let seen = item.observed(asOf: asOf), seen.isRunning else { return nil }
            let curve = estimator.curve(ageDays: seen.days, stage: seen.stage(atAge: seen.days), group: item.group)
            return (item.start, seen.days, curve.table)
        }
        let months = Self.historyMonths(cases, asOf: asOf, windowMonths: settings.trainingWindowMonths)
        let figures = months.map {
            MonthFigures.count(cases, month: $0, asOf: asOf, deadlineDays: settings.deadlineDays)
        }
        trend = RequestTrend(months: months, counts: figures.map(\.requests))
        baseFTE = fte
        let recent = figures.suffix(12).map { Double($0.plansIssued) }
        if let fte, fte > 0, let busiest = recent.max() {
            plansPerFTE = busiest / fte
        } else {
            plansPerFTE = nil
        }
    }

    /// The months a projection reports: the `count` calendar months after the as-of day's month.
    package func reportedMonths(_ count: Int) -> [Day] {
        (1...max(count, 1)).map { asOf.firstOfMonth.adding(months: $0) }
    }

    package func project(months count: Int, runs: Int, seed: UInt64, scenario: WorkloadScenario = .baseline) -> [Row] {
        let reported = reportedMonths(count)
        let measures = WorkloadMeasure.allCases
        let bands = MonteCarlo.bands(runs: runs, seed: seed) { generator in
            let figures = simulate(through: reported.last!.lastOfMonth, scenario: scenario, generator: &generator)
            return reported.flatMap { month in
                measures.map { figures[month]?.value($0) ?? .nan }
            }
        }
        var rows: [Row] = []
        for (m, month) in reported.enumerated() {
            for (k, measure) in measures.enumerated() {
                rows.append(Row(month: month, measure: measure, band: bands[m * measures.count + k]))
            }
        }
        return rows
    }

    /// One run: the figures of every month from the as-of day's to `end`'s.
    private func simulate(through end: Day, scenario: WorkloadScenario, generator: inout SeededGenerator)
        -> [Day: MonthFigures]
    {
        var figures: [Day: MonthFigures] = [:]
        var closures: [Day: Int] = [:]
        var due: [(day: Day, start: Day)] = []
        var running = open.count
        func stop(start: Day, after age: Int, curve: SurvivalTable) {
            guard let stop = curve.drawStop(after: age, u: generator.unit(), v: generator.unit()) else { return }
            let day = start.adding(days: stop.day)
            guard day <= end else { return }
            if stop.outcome { due.append((day, start)) } else { closures[day.firstOfMonth, default: 0] += 1 }
        }
        for item in open { stop(start: item.start, after: item.age, curve: item.curve) }
        var month = asOf.firstOfMonth
        while month <= end {
            let first = max(month, asOf.adding(days: 1))
            if first <= month.lastOfMonth {
                let share =
                    Double(month.lastOfMonth.daysSinceEpoch - first.daysSinceEpoch + 1)
                    / Double(month.lastOfMonth.day)
                var mean = trend.expected(in: month) * scenario.requestFactor * share
                mean = max(0, mean + generator.normal() * trend.extraSpread * share * scenario.requestFactor)
                let requests = generator.poisson(mean: mean)
                figures[month, default: MonthFigures()].requests = requests
                let span = month.lastOfMonth.daysSinceEpoch - first.daysSinceEpoch + 1
                for _ in 0..<requests {
                    let start = first.adding(days: Int(generator.unit() * Double(span)))
                    stop(start: start, after: -1, curve: newCase)
                }
            }
            month = month.adding(months: 1)
        }
        // Plans in date order, each month issuing at most its capacity; the rest wait a month.
        due.sort { $0.day < $1.day }
        var waiting: [(day: Day, start: Day)] = []
        var index = 0
        month = asOf.firstOfMonth
        while month <= end {
            var queue = waiting
            while index < due.count, due[index].day <= month.lastOfMonth {
                queue.append(due[index])
                index += 1
            }
            let capacity = plansPerFTE.map { perFTE in
                let fte = scenario.fte(base: baseFTE ?? 0, in: month)
                return max(0, Int((perFTE * fte).rounded()))
            }
            let issued = capacity.map { min($0, queue.count) } ?? queue.count
            var row = figures[month, default: MonthFigures()]
            for plan in queue.prefix(issued) {
                row.plansIssued += 1
                if plan.day.daysSinceEpoch - plan.start.daysSinceEpoch <= deadlineDays { row.plansOnTime += 1 }
            }
            waiting = queue.dropFirst(issued).map { ($0.day.adding(months: 1), $0.start) }
            running += row.requests - issued - closures[month, default: 0]
            row.openAtEnd = running
            figures[month] = row
            month = month.adding(months: 1)
        }
        return figures
    }

    /// The complete months of history a trend is fitted to: from the first case (or the start of the
    /// training window) to the last month ending on or before the as-of day.
    package static func historyMonths(_ cases: [ClockCase], asOf: Day, windowMonths: Int?) -> [Day] {
        guard let earliest = cases.lazy.map(\.start).filter({ $0 <= asOf }).min() else { return [] }
        var first = earliest.firstOfMonth
        if let windowMonths {
            let windowStart = asOf.adding(days: 1).adding(months: -windowMonths)
            if windowStart > first {
                first = windowStart.day == 1 ? windowStart : windowStart.firstOfMonth.adding(months: 1)
            }
        }
        var months: [Day] = []
        var month = first
        while month.lastOfMonth <= asOf {
            months.append(month)
            month = month.adding(months: 1)
        }
        return months
    }
}
