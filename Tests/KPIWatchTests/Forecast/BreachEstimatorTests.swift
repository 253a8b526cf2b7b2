import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// A 14-day deadline and one stage (advice received), as-of day 30 after `d0`:
///
///     case  start   stops   advice  group  running after day 9?  stage at day 9
///     H1    d0      10      5       North  yes                   advice
///     H2    d0      20      6       North  yes                   advice
///     H3    d0      16      12      North  yes                   none
///     H4    d0      18      -       South  yes                   none
///     H5    d0      12      3       South  yes                   advice
///     H6    d0       5      -       South  no (stopped day 5)
///     O     d0+21   open    d0+25   North  age 9 (censored)      advice (day 4 of its clock)
///
/// O, aged 9 days, is forecast from the cases still running after day 9 of their clocks.
@Suite struct BreachEstimatorTests {
    static let d0 = Day(iso: "2024-03-04")!
    static let asOf = d0.adding(days: 30)

    static func item(_ key: String, start: Int, stop: Int?, advice: Int?, group: String) -> ClockCase {
        ClockCase(
            key: key, start: d0.adding(days: start), ends: [stop.map { d0.adding(days: $0) }],
            stages: [advice.map { d0.adding(days: $0) }], group: group)
    }

    static let cases = [
        item("H1", start: 0, stop: 10, advice: 5, group: "North"),
        item("H2", start: 0, stop: 20, advice: 6, group: "North"),
        item("H3", start: 0, stop: 16, advice: 12, group: "North"),
        item("H4", start: 0, stop: 18, advice: nil, group: "South"),
        item("H5", start: 0, stop: 12, advice: 3, group: "South"),
        item("H6", start: 0, stop: 5, advice: nil, group: "South"),
        item("O", start: 21, stop: nil, advice: 25, group: "North"),
    ]

    static func estimateForO(minimumSample: Int, grouped: Bool = true) -> BreachEstimate? {
        var cases = Self.cases
        if !grouped {
            cases = cases.map {
                var c = $0
                c.group = nil
                return c
            }
        }
        let estimator = BreachEstimator(
            cases: cases, asOf: asOf, settings: BreachSettings(deadlineDays: 14, minimumSample: minimumSample))
        return estimator.estimates(for: cases).first
    }

    @Test func onlyOpenCasesGetAForecast() {
        let estimator = BreachEstimator(cases: Self.cases, asOf: Self.asOf, settings: BreachSettings(deadlineDays: 14))
        #expect(estimator.estimates(for: Self.cases).map(\.key) == ["O"])
    }

    /// Same group and stage: H1, H2 (2 cases).
    ///     day 10: at risk 2, 1 stop -> 1/2. No other stop in (9, 14]. P(breach) = 1/2.
    @Test func usesTheGroupsOwnStageCurveWhenItHasEnoughCases() throws {
        let estimate = try #require(Self.estimateForO(minimumSample: 2))
        #expect(estimate.ageDays == 9)
        #expect(estimate.ageWeeks == 1)
        #expect(estimate.stage == 0)
        #expect(estimate.basis == .groupAndStage)
        #expect(estimate.sample == 2)
        #expect(abs(try #require(estimate.pBreach) - 0.5) < 1e-12)
    }

    /// Same stage, every group: H1, H2, H5 (3 cases).
    ///     day 10: at risk 3 (H1, H2, H5), 1 stop -> 2/3
    ///     day 12: at risk 2 (H2, H5),     1 stop -> 1/2      P(breach) = 2/3 × 1/2 = 1/3
    @Test func fallsBackToTheStageOfEveryGroup() throws {
        let estimate = try #require(Self.estimateForO(minimumSample: 3))
        #expect(estimate.basis == .stage)
        #expect(estimate.sample == 3)
        #expect(abs(try #require(estimate.pBreach) - 1.0 / 3) < 1e-12)
    }

    /// Every case running after day 9 whatever its stage: H1..H5 (5 cases).
    ///     day 10: at risk 5, 1 stop -> 4/5
    ///     day 12: at risk 4 (H2, H3, H4, H5), 1 stop -> 3/4   P(breach) = 3/5
    @Test func fallsBackToThePooledCurve() throws {
        let estimate = try #require(Self.estimateForO(minimumSample: 4))
        #expect(estimate.basis == .pooled)
        #expect(estimate.sample == 5)
        #expect(abs(try #require(estimate.pBreach) - 0.6) < 1e-12)
        // Fewer than the minimum everywhere: the pooled curve is still used, and says so.
        let few = try #require(Self.estimateForO(minimumSample: 50))
        #expect(few.basis == .fewCases)
        #expect(abs(try #require(few.pBreach) - 0.6) < 1e-12)
    }

    /// A case S started on day 5, seen on day 13 (age 8) and on day 14 (age 9). By day 13 H6, H1 and H5
    /// have stopped (days 5, 10, 12) and H2, H3, H4 run, censored at 13, one day short of the deadline.
    ///     running after day 8: H1, H2, H3, H4, H5 (5 cases)
    ///     day 10: at risk 5, 1 stop -> 4/5;  day 12: at risk 4, 1 stop -> 3/4;  S(12) = 3/5
    /// Nobody has been watched to day 14, so whether H2..H4 stop on day 14 is unknown: reading the curve
    /// as flat after day 13 would say 3/5, and with no stop after the case's age it would say 1.
    /// A day later H2..H4 have run 14 days (censored at 14, so past the deadline) and the same 3/5 is
    /// an estimate (running after day 9: the same five).
    @Test func aHistoryThatStopsShortOfTheDeadlineGivesNoProbability() throws {
        let s = Self.item("S", start: 5, stop: nil, advice: nil, group: "West")
        let cases = Array(Self.cases.prefix(6)) + [s]
        let settings = BreachSettings(deadlineDays: 14, minimumSample: 5)
        let early = try #require(
            BreachEstimator(cases: cases, asOf: Self.d0.adding(days: 13), settings: settings).estimate(for: s))
        #expect(early.ageDays == 8)
        #expect(early.basis == .shortHistory)
        #expect(early.sample == 5)
        #expect(early.pBreach == nil)
        let later = try #require(
            BreachEstimator(cases: cases, asOf: Self.d0.adding(days: 14), settings: settings).estimate(for: s))
        #expect(later.basis == .pooled)
        #expect(abs(try #require(later.pBreach) - 0.6) < 1e-12)
    }

    /// A history that reaches the deadline only because every clock stopped before it is complete:
    /// H1 (day 10) and H5 (day 12) both stop, S falls to 0, and the probability is 0, not unknown.
    @Test func aCurveThatFallsToZeroBeforeTheDeadlineIsComplete() throws {
        let s = Self.item("S", start: 25, stop: nil, advice: nil, group: "West")
        let cases = [Self.cases[0], Self.cases[4], s]
        let estimate = try #require(
            BreachEstimator(
                cases: cases, asOf: Self.d0.adding(days: 30),
                settings: BreachSettings(deadlineDays: 14, minimumSample: 1)
            ).estimate(for: s))
        #expect(estimate.ageDays == 5)
        #expect(estimate.pBreach == 0)
    }

    @Test func withoutGroupsTheStageCurveComesFirst() throws {
        let estimate = try #require(Self.estimateForO(minimumSample: 2, grouped: false))
        #expect(estimate.basis == .stage)
        #expect(abs(try #require(estimate.pBreach) - 1.0 / 3) < 1e-12)
    }

    /// As of day 11 (O not yet requested), H2, H3, H4 are still running: their stops after day 11
    /// have "not yet happened", and H3's advice (day 12) is not known either.
    @Test func datesAfterTheAsOfDayHaveNotHappened() throws {
        let asOf = Self.d0.adding(days: 11)
        let estimator = BreachEstimator(
            cases: Self.cases, asOf: asOf, settings: BreachSettings(deadlineDays: 14, minimumSample: 1))
        let open = estimator.estimates(for: Self.cases)
        #expect(open.map(\.key) == ["H2", "H3", "H4", "H5"])
        #expect(open.first { $0.key == "H3" }?.stage == nil)
        // Known by day 11: H6 stopped on day 5 and H1 on day 10; the other four run, censored at 11.
        let curve = estimator.curve(ageDays: 0, stage: nil, group: nil).table
        #expect(curve.rows.map(\.day) == [5, 10])
        #expect(curve.rows.map(\.atRisk) == [6, 5])
        // Nobody in that history has run past day 11 yet, so H2 (aged 11) gets no probability.
        let h2 = try #require(open.first { $0.key == "H2" })
        #expect(h2.basis == .noHistory)
        #expect(h2.pBreach == nil)
    }

    @Test func aStopOnTheAsOfDayClosesTheCase() {
        let estimator = BreachEstimator(
            cases: Self.cases, asOf: Self.d0.adding(days: 12), settings: BreachSettings(deadlineDays: 14))
        #expect(!estimator.estimates(for: Self.cases).map(\.key).contains("H5"))
    }

    @Test func aCasePastItsDeadlineHasBreached() throws {
        let late = Self.item("L", start: 0, stop: nil, advice: nil, group: "West")
        let estimator = BreachEstimator(cases: [late], asOf: Self.asOf, settings: BreachSettings(deadlineDays: 14))
        let estimate = try #require(estimator.estimate(for: late))
        #expect(estimate.basis == .pastDeadline)
        #expect(estimate.pBreach == 1)
    }

    @Test func noHistoryAtThatAgeGivesNoProbability() throws {
        let young = Self.item("Y", start: 25, stop: nil, advice: nil, group: "West")
        let estimator = BreachEstimator(cases: [young], asOf: Self.asOf, settings: BreachSettings(deadlineDays: 14))
        let estimate = try #require(estimator.estimate(for: young))
        #expect(estimate.basis == .noHistory)
        #expect(estimate.pBreach == nil)
    }

    @Test func theTrainingWindowLeavesOlderClocksOut() throws {
        let old = ClockCase(key: "OLD", start: Self.d0.adding(months: -13), ends: [Self.d0.adding(months: -12)])
        let cases = Self.cases + [old]
        let windowed = BreachEstimator(
            cases: cases, asOf: Self.asOf, settings: BreachSettings(deadlineDays: 14, trainingWindowMonths: 12))
        let all = BreachEstimator(cases: cases, asOf: Self.asOf, settings: BreachSettings(deadlineDays: 14))
        // Day 0 of the clock: every case in the window is in the curve, OLD only without a window.
        #expect(windowed.curve(ageDays: 0, stage: nil, group: nil).table.cases == 7)
        #expect(all.curve(ageDays: 0, stage: nil, group: nil).table.cases == 8)
    }
}
