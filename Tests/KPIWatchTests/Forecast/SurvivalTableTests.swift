import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

@Suite struct SurvivalTableTests {
    /// Seven clocks, two of them still running (censored) when last seen:
    ///
    ///     case  days  stopped?
    ///     A      3    yes
    ///     B      5    yes
    ///     C      5    no   (running on day 5: in the risk set of B's stop)
    ///     D      8    yes
    ///     E      8    yes
    ///     F     10    no
    ///     G     12    yes
    ///
    /// Kaplan–Meier by hand:
    ///
    ///     day  at risk  stops  1 − stops/at risk  S(day)
    ///      3      7       1         6/7            6/7
    ///      5      6       1         5/6            5/7
    ///      8      4       2         2/4            5/14
    ///     12      1       1         0/1            0
    static let observations: [(days: Int, stopped: Bool)] = [
        (3, true), (5, true), (5, false), (8, true), (8, true), (10, false), (12, true),
    ]

    static var table: SurvivalTable {
        let start = Day(iso: "2024-01-01")!
        return SurvivalTable(
            observations.map {
                ClockObservation(days: $0.days, stoppedBy: $0.stopped ? 0 : nil, start: start, stages: [])
            }
        )
    }

    @Test func matchesTheKaplanMeierTableWorkedByHand() {
        let rows = Self.table.rows
        #expect(rows.map(\.day) == [3, 5, 8, 12])
        #expect(rows.map(\.atRisk) == [7, 6, 4, 1])
        #expect(rows.map(\.events) == [1, 1, 2, 1])
        let expected = [6.0 / 7, 5.0 / 7, 5.0 / 14, 0]
        for (row, survival) in zip(rows, expected) {
            #expect(abs(row.survival - survival) < 1e-12)
        }
    }

    @Test func conditionalSurvivalMultipliesOnlyTheStopsAfterTheAge() {
        // P(T > 10 | T > 4) = (5/6)(2/4): the stop on day 3 is before the age and does not count.
        #expect(abs(Self.table.stillRunning(through: 10, after: 4) - 5.0 / 12) < 1e-12)
        // Nothing stops in (8, 11]: F's censoring on day 10 is not a stop.
        #expect(Self.table.stillRunning(through: 11, after: 8) == 1)
        #expect(Self.table.stillRunning(through: 12, after: 8) == 0)
    }

    @Test func countsCasesKnownToRunPastADay() {
        #expect(Self.table.runningAfter(5) == 4)  // D, E, F, G
        #expect(Self.table.runningAfter(10) == 1)  // G
        #expect(Self.table.runningAfter(0) == 7)
    }

    @Test func drawsStopsByInvertingTheCurve() {
        // Given T > 4 the conditional curve is 5/6 after day 5, 5/12 after day 8, 0 after day 12.
        #expect(Self.table.drawStop(after: 4, u: 0.9, v: 0)?.day == 5)
        #expect(Self.table.drawStop(after: 4, u: 0.5, v: 0)?.day == 8)
        #expect(Self.table.drawStop(after: 4, u: 0.41, v: 0)?.day == 12)
        let open = SurvivalTable([
            ClockObservation(days: 4, stoppedBy: 1, start: Day(iso: "2024-01-01")!, stages: []),
            ClockObservation(days: 9, stoppedBy: nil, start: Day(iso: "2024-01-01")!, stages: []),
        ])
        // Half the clocks never stop in the history: a draw beyond that is "still running".
        #expect(open.drawStop(after: 0, u: 0.3, v: 0) == nil)
        // The stop on day 4 closed the case without the outcome.
        #expect(open.drawStop(after: 0, u: 0.6, v: 0)?.outcome == false)
    }
}
