import KPIWatchCore

/// How well the workload projection would have done: project from earlier month ends, using only
/// what was known then, and compare with what the extract shows 3 and 6 months later.
package struct WorkloadBacktest: Sendable {
    package struct Score: Sendable, Equatable {
        package var measure: WorkloadMeasure
        package var horizon: Int
        package var projections: Int
        /// Mean absolute percentage error of the median, in percent.
        package var mape: Double
        /// Share of projections whose 80% band (p10..p90) held the actual figure, in percent.
        package var coverage: Double
    }

    package var asOfDays: [Day]
    package var scores: [Score]

    package static let horizons = [3, 6]

    /// Month ends from `first` to the last one whose longest horizon the extract covers.
    package static func monthEnds(from first: Day, extract: Day) -> [Day] {
        var days: [Day] = []
        var day = first.lastOfMonth
        while day.adding(days: 1).adding(months: horizons.max()!).adding(days: -1) <= extract {
            days.append(day)
            day = day.adding(days: 1).lastOfMonth
        }
        return days
    }

    package init(
        cases: [ClockCase], asOfDays: [Day], extract: Day, settings: BreachSettings, fte: Double?, runs: Int,
        seed: UInt64
    ) {
        self.asOfDays = asOfDays
        let cases = cases.filter { !$0.leftOutByLateField }
        var errors: [Key: [Double]] = [:]
        var hits: [Key: [Bool]] = [:]
        for asOf in asOfDays {
            let model = WorkloadModel(cases: cases, asOf: asOf, settings: settings, fte: fte)
            let rows = model.project(months: Self.horizons.max()!, runs: runs, seed: seed)
            for horizon in Self.horizons {
                let month = asOf.firstOfMonth.adding(months: horizon)
                let actual = MonthFigures.count(cases, month: month, asOf: extract, deadlineDays: settings.deadlineDays)
                for row in rows where row.month == month {
                    guard let value = actual.value(row.measure), row.band.p50.isFinite else { continue }
                    let key = Key(measure: row.measure, horizon: horizon)
                    if value != 0 { errors[key, default: []].append(abs(row.band.p50 - value) / abs(value)) }
                    hits[key, default: []].append(row.band.contains(value))
                }
            }
        }
        scores = WorkloadMeasure.allCases.flatMap { measure in
            Self.horizons.compactMap { horizon -> Score? in
                let key = Key(measure: measure, horizon: horizon)
                guard let within = hits[key], !within.isEmpty else { return nil }
                let misses = errors[key] ?? []
                return Score(
                    measure: measure, horizon: horizon, projections: within.count,
                    mape: misses.isEmpty ? 0 : 100 * misses.reduce(0, +) / Double(misses.count),
                    coverage: 100 * Double(within.filter { $0 }.count) / Double(within.count))
            }
        }
    }

    private struct Key: Hashable {
        var measure: WorkloadMeasure
        var horizon: Int
    }
}
