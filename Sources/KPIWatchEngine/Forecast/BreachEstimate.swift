import KPIWatchCore

/// The forecast for one open case: its chance of still running past the deadline, and what that
/// chance was learnt from.
package struct BreachEstimate: Sendable, Equatable {
    /// Which history the probability comes from, most specific first.
    package enum Basis: String, Sendable, Equatable {
        /// Cases of the same group that had reached the same stage at the same age.
        case groupAndStage = "group_and_stage"
        /// Cases of every group that had reached the same stage at that age.
        case stage
        /// Every case still running at that age, whatever its stage.
        case pooled
        /// The pooled curve, though fewer than `min_sample` cases were running at that age: a figure
        /// resting on few cases.
        case fewCases = "few_cases"
        /// Some history cases ran this long, but none was seen as far as the deadline (the history is
        /// younger than the deadline): no estimate.
        case shortHistory = "short_history"
        /// The case is already past its deadline: the breach has happened.
        case pastDeadline = "past_deadline"
        /// No case in the history ran as long as this one: no estimate.
        case noHistory = "no_history"
    }

    package var key: String
    package var ageDays: Int
    /// Index into the forecast's `stages:`, nil before the first.
    package var stage: Int?
    package var group: String?
    /// P(clock passes the deadline before it stops | running at this age, at this stage); nil with
    /// `noHistory` and `shortHistory`.
    package var pBreach: Double?
    package var basis: Basis
    /// History cases behind the estimate (running after this case's age in the curve used).
    package var sample: Int

    package var ageWeeks: Int { ageDays / 7 }
}
