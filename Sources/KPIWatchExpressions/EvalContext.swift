import KPIWatchCore

/// Mutable evaluation state, reused across rows (a class so that no row is copied per call).
public final class EvalContext {
    public var row: [Value]
    public var asOf: Day
    public var slots: [Value]
    /// Results of the expression's aggregates, by index into the `AggregateCall`s `compile` returned.
    public var aggregates: [Value]
    /// A threshold's `forecast(DATE)`: the trend line's value at that date.
    public var forecast: (@Sendable (Day) -> Value)?
    /// The project's trained forecasts, by the slot `breach_probability("ID")` was compiled to.
    package var forecasts: [any RecordForecast] = []

    public init(row: [Value] = [], asOf: Day, slots: [Value] = [], aggregates: [Value] = []) {
        self.row = row
        self.asOf = asOf
        self.slots = slots
        self.aggregates = aggregates
    }
}

/// A forecast an expression can ask about a record (`breach_probability("ID")`): the engine trains
/// it on the dataset before the rules run.
package protocol RecordForecast: AnyObject {
    func breachProbability(row: [Value], asOf: Day) -> Value
}
