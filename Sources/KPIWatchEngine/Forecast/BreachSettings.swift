import KPIWatchCore

/// What a breach forecast needs beyond the cases: the deadline, how much history to learn from, and
/// how few cases are too few to trust a stage's (or a team's) own estimate.
package struct BreachSettings: Sendable, Equatable {
    package var deadlineDays: Int
    /// Learn only from clocks started in the months before the as-of day; nil learns from all history.
    package var trainingWindowMonths: Int?
    /// A stage's (or a team's) own curve is used only when at least this many of its cases were still
    /// running at the case's age; otherwise the estimate falls back to a broader one.
    package var minimumSample: Int

    package static let defaultMinimumSample = 30

    package init(deadlineDays: Int, trainingWindowMonths: Int? = nil, minimumSample: Int = defaultMinimumSample) {
        self.deadlineDays = deadlineDays
        self.trainingWindowMonths = trainingWindowMonths
        self.minimumSample = minimumSample
    }
}
