import KPIWatchCore
import KPIWatchExpressions

/// A forecast ready to run: its fields resolved to record slots and its `where` compiled.
package struct CompiledForecast: Sendable {
    package var rule: ForecastRule
    /// Its slot in `EvalContext.forecasts`, which `breach_probability("ID")` reads.
    package var slot: Int
    package var keyIndex: Int?
    package var startIndex: Int
    package var endIndexes: [Int]
    package var stageIndexes: [Int]
    package var byIndex: Int?
    package var whereClause: CompiledExpression?
    /// The `recorded_late:` fields' slots.
    package var recordedLateIndexes: [Int] = []

    /// The case a record describes, or nil when it has no start date or lies outside `where` (a case
    /// outside it only by its `recorded_late:` fields is kept, marked, for days before they were known).
    package func clockCase(_ row: [Value], context: EvalContext) -> ClockCase? {
        guard case .date(let start) = row[startIndex] else { return nil }
        var leftOutByLateField = false
        if let whereClause {
            context.row = row
            if !whereClause.isTrue(context) {
                guard !recordedLateIndexes.isEmpty else { return nil }
                var unrecorded = row
                for index in recordedLateIndexes { unrecorded[index] = .null }
                context.row = unrecorded
                guard whereClause.isTrue(context) else { return nil }
                leftOutByLateField = true
            }
        }
        func day(_ index: Int) -> Day? {
            if case .date(let day) = row[index] { return day }
            return nil
        }
        let group = byIndex.flatMap { row[$0].isNull ? nil : row[$0].description }
        let key = keyIndex.map { row[$0].description } ?? ""
        return ClockCase(
            key: key, start: start, ends: endIndexes.map(day), stages: stageIndexes.map(day), group: group,
            leftOutByLateField: leftOutByLateField)
    }
}

/// A forecast trained on one dataset's records, answering `breach_probability` for each record.
/// Learnt again for each as-of day a rule asks about (a snapshot's history periods each have their
/// own), and kept for the run.
package final class ForecastModel: RecordForecast {
    package let forecast: CompiledForecast
    package let cases: [ClockCase]
    /// The day the rows were read (`BreachEstimator.knownOn`).
    package let knownOn: Day
    private var estimators: [Day: (estimator: BreachEstimator, curves: CurveCache)] = [:]
    private let context: EvalContext

    /// `knownOn`: the day the rows were read, when later than `asOf` (the project's as_of, or today).
    package init(forecast: CompiledForecast, rows: [[Value]], asOf: Day, knownOn: Day? = nil) {
        self.forecast = forecast
        self.knownOn = max(knownOn ?? asOf, asOf)
        context = EvalContext(asOf: asOf)
        var cases: [ClockCase] = []
        for row in rows { if let item = forecast.clockCase(row, context: context) { cases.append(item) } }
        self.cases = cases
    }

    package func estimator(asOf: Day) -> BreachEstimator {
        if let known = estimators[asOf] { return known.estimator }
        let estimator = BreachEstimator(cases: cases, asOf: asOf, settings: forecast.rule.settings, knownOn: knownOn)
        estimators[asOf] = (estimator, CurveCache())
        return estimator
    }

    package func breachProbability(row: [Value], asOf: Day) -> Value {
        context.asOf = asOf
        guard let item = forecast.clockCase(row, context: context) else { return .null }
        let estimator = estimator(asOf: asOf)
        guard let estimate = estimator.estimate(for: item, curves: &estimators[asOf]!.curves),
            let p = estimate.pBreach
        else { return .null }
        return .number(p)
    }
}
