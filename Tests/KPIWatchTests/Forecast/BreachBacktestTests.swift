import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// A 14-day deadline, replayed on day 9 after `d0` and read on day 40 (the extract):
///
///     case  start   stops  late?  at the replay (day 9)
///     G1    d0-30   10     no     stopped on day 10 of its clock (d0-20): history
///     G2    d0-30   12     no     history
///     G3    d0-30   20     yes    history
///     G4    d0-30   22     yes    history
///     H1    d0      10     no     open, age 9
///     H2    d0      20     yes    open, age 9
///     H3    d0      12     no     open, age 9
///     E     d0      19     yes    open, age 9; an exception is recorded on it by the extract
///
/// Each open case is forecast from G1..G4 (the only cases running after day 9):
///     day 10: at risk 4, 1 stop -> 3/4;  day 12: at risk 3, 1 stop -> 2/3;  P(breach) = 1/2
/// so every forecast scores (1/2 − outcome)² = 1/4.
@Suite struct BreachBacktestTests {
    static let d0 = Day(iso: "2024-05-06")!
    static let replay = d0.adding(days: 9)
    static let extract = d0.adding(days: 40)
    static let settings = BreachSettings(deadlineDays: 14, minimumSample: 1)

    static func item(_ key: String, start: Int, stop: Int, exception: Bool = false) -> ClockCase {
        ClockCase(
            key: key, start: d0.adding(days: start), ends: [d0.adding(days: start + stop)],
            leftOutByLateField: exception)
    }

    static let cases = [
        item("G1", start: -30, stop: 10), item("G2", start: -30, stop: 12), item("G3", start: -30, stop: 20),
        item("G4", start: -30, stop: 22), item("H1", start: 0, stop: 10), item("H2", start: 0, stop: 20),
        item("H3", start: 0, stop: 12), item("E", start: 0, stop: 19, exception: true),
    ]

    /// On day 9 nobody knew that E would be excepted: the replay forecasts and scores it as the service
    /// would have. Leaving it out (as the export shows it on day 40) scored 3 forecasts, 1 late, and
    /// hid a late case the forecast could not have told apart.
    @Test func aFieldRecordedLaterIsUnknownAtTheReplay() throws {
        let backtest = BreachBacktest(
            cases: Self.cases, asOfDays: [Self.replay], extract: Self.extract, settings: Self.settings)
        #expect(backtest.forecasts == 4)
        #expect(backtest.lateCases == 2)
        #expect(abs(backtest.baseRate - 0.5) < 1e-12)
        #expect(abs(backtest.brier - 0.25) < 1e-12)
        let decile = try #require(backtest.deciles.first)
        #expect(decile.lower == 0.5)
        #expect(abs(decile.meanPredicted - 0.5) < 1e-12)
    }

    /// The same case once its clock has stopped (the exception taken as recorded by then), or seen on
    /// the day the data was read, is outside the forecast.
    @Test func anExceptedCaseIsLeftOutOnceKnown() {
        let e = Self.cases.last!
        #expect(e.covered(asOf: Self.replay, knownOn: Self.extract))
        #expect(!e.covered(asOf: Self.d0.adding(days: 19), knownOn: Self.extract))
        #expect(!e.covered(asOf: Self.replay, knownOn: Self.replay))
        let today = BreachEstimator(cases: Self.cases, asOf: Self.replay, settings: Self.settings)
        #expect(today.estimates(for: Self.cases).map(\.key) == ["H1", "H2", "H3"])
        // E is in the history of a replay too: censored at day 9, it is at risk of no stop after day 9.
        let replayed = BreachEstimator(
            cases: Self.cases, asOf: Self.replay, settings: Self.settings, knownOn: Self.extract)
        #expect(replayed.curve(ageDays: 0, stage: nil, group: nil).table.cases == 8)
        #expect(today.curve(ageDays: 0, stage: nil, group: nil).table.cases == 7)
    }
}
