import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Three cases with breach probabilities 0.5, 0.5 and 0.9, worked by hand one case at a time:
///
///     after 0.5:  P(0) = .5     P(1) = .5
///     after 0.5:  P(0) = .25    P(1) = .5     P(2) = .25
///     after 0.9:  P(0) = .025   P(1) = .275   P(2) = .475   P(3) = .225
///     cumulative:        .025          .3            .775          1
///
/// Expected 1.9; variance .25 + .25 + .09 = .59. The 90% interval runs from the first count whose
/// cumulative probability reaches 5% (1) to the first that reaches 95% (3); the 50% interval from the
/// first reaching 25% (1) to the first reaching 75% (2).
@Suite struct ExpectedCountTests {
    @Test func theDistributionIsWorkedOutExactly() {
        let count = ExpectedCount(probabilities: [0.5, 0.5, 0.9])
        #expect(count.cases == 3)
        #expect(abs(count.expected - 1.9) < 1e-12)
        #expect(abs(count.variance - 0.59) < 1e-12)
        let want = [0.025, 0.275, 0.475, 0.225]
        #expect(count.distribution.count == 4)
        for (got, expected) in zip(count.distribution, want) { #expect(abs(got - expected) < 1e-12) }
        #expect(count.low == 1)
        #expect(count.high == 3)
        #expect(count.intervalText == "90% interval 1 to 3")
        let half = ExpectedCount(probabilities: [0.5, 0.5, 0.9], level: 0.5)
        #expect(half.low == 1)
        #expect(half.high == 2)
    }

    /// A cumulative probability landing exactly on the tail counts as reaching it: two fair coins,
    /// P(0) = .25, so the 50% interval starts at 0, and P(≤ 1) = .75 ends it at 1.
    @Test func aTailReachedExactlyIsReached() {
        let count = ExpectedCount(probabilities: [0.5, 0.5], level: 0.5)
        #expect(count.low == 0)
        #expect(count.high == 1)
    }

    /// Certain cases (past their deadline, p = 1) shift the interval without widening it; no case gives 0 to 0.
    @Test func certaintiesAndNothing() {
        let certain = ExpectedCount(probabilities: [1, 1, 0.5])
        #expect(certain.low == 2)
        #expect(certain.high == 3)
        #expect(certain.variance == 0.25)
        let none = ExpectedCount(probabilities: [])
        #expect(none.expected == 0)
        #expect(none.low == 0)
        #expect(none.high == 0)
    }

    /// The due-soon cases are those with 0 to 27 days left (ages 113 to 140 of a 140-day deadline, as the
    /// pack's KPI counts them); a case with no probability is counted but adds nothing.
    @Test func dueSoonTakesTheNextFourWeeks() {
        func estimate(_ age: Int, _ p: Double?) -> BreachEstimate {
            BreachEstimate(
                key: "C\(age)", ageDays: age, stage: nil, group: nil, pBreach: p, basis: p == nil ? .noHistory : .stage,
                sample: 1)
        }
        let due = DueSoon(
            [
                estimate(112, 0.9), estimate(113, 0.5), estimate(139, 0.5), estimate(140, 1), estimate(141, 1),
                estimate(120, nil),
            ], deadlineDays: 140, withinDays: 28)
        #expect(due.cases == 4)
        #expect(due.withoutProbability == 1)
        #expect(due.breaches.cases == 3)
        #expect(abs(due.breaches.expected - 2) < 1e-12)
        #expect(
            due.summary
                == "Due in the next 28 days: 4 open cases, 2.0 expected to miss the deadline (90% interval 1 to 3, if the cases are independent); 1 with no probability\n"
        )
    }
}
