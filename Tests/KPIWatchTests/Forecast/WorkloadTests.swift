import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

@Suite struct WorkloadScenarioTests {
    @Test func readsRequestChanges() {
        #expect(WorkloadScenario.requestFactor("+10%") == .success(1.1))
        #expect(WorkloadScenario.requestFactor("-5 %") == .success(0.95))
        #expect(
            WorkloadScenario.requestFactor("10%")
                == .failure(ScenarioSyntaxError(text: "10%", expected: "a signed percent such as +10% or -5%")))
        #expect(throws: ScenarioSyntaxError.self) { try WorkloadScenario.requestFactor("-150%").get() }
    }

    @Test func readsStaffChangesFromAMonth() throws {
        let change = try WorkloadScenario.staffChange("+2 from 2027-01").get()
        #expect(change == .init(fte: 2, from: Day(iso: "2027-01-01")))
        #expect(try WorkloadScenario.staffChange("-0.5").get() == .init(fte: -0.5, from: nil))
        #expect(throws: ScenarioSyntaxError.self) { try WorkloadScenario.staffChange("+2 from January").get() }
        #expect(throws: ScenarioSyntaxError.self) { try WorkloadScenario.staffChange("two").get() }
        let scenario = WorkloadScenario(name: "more", staffChanges: [change])
        #expect(scenario.fte(base: 6.8, in: Day(iso: "2026-12-01")!) == 6.8)
        #expect(scenario.fte(base: 6.8, in: Day(iso: "2027-01-01")!) == 8.8)
    }
}

@Suite struct RequestTrendTests {
    /// Two years of 100 a month with every August at 50 and a rise of 2 a month (deseasonalised):
    /// the fit recovers the August index and the slope exactly.
    @Test func recoversSeasonAndTrend() {
        let first = Day(iso: "2024-01-01")!
        let months = (0..<24).map { first.adding(months: $0) }
        // August's index relative to the others: with 11 months at 1 and August at 0.5 the indexes
        // average 23.5/24 before normalising; counts are built from the normalised ones.
        let august = 0.5 / (11.5 / 12)
        let other = 1 / (11.5 / 12)
        let counts = months.enumerated().map { i, month in
            Int(((100 + 2 * Double(i)) * (month.month == 8 ? august : other)).rounded())
        }
        let trend = RequestTrend(months: months, counts: counts)
        #expect(abs(trend.seasonal[7] - august) < 0.02)
        #expect(abs(trend.slope - 2) < 0.1)
        // January 2026: 24 steps on from January 2024's 100.
        #expect(abs(trend.expected(in: Day(iso: "2026-01-01")!) - 148 * other) < 3)
    }

    @Test func underAYearHasNoSeason() {
        let first = Day(iso: "2024-01-01")!
        let trend = RequestTrend(months: (0..<6).map { first.adding(months: $0) }, counts: [10, 10, 10, 10, 10, 10])
        #expect(trend.seasonal == Array(repeating: 1, count: 12))
        #expect(trend.expected(in: Day(iso: "2024-09-01")!) == 10)
    }
}

@Suite struct WorkloadModelTests {
    /// A steady service: 20 requests a month for two years, each ending in a plan after 100 days
    /// (on time) or 160 (late), alternately.
    static let cases: [ClockCase] = {
        let first = Day(iso: "2024-01-01")!
        return (0..<480).map { i in
            let start = first.adding(days: i * 730 / 480)
            return ClockCase(key: "C\(i)", start: start, ends: [start.adding(days: i % 2 == 0 ? 100 : 160)])
        }
    }()
    static let asOf = Day(iso: "2025-12-31")!
    static let settings = BreachSettings(deadlineDays: 140)

    @Test func countsAMonthAsTheExtractShowsIt() {
        let figures = MonthFigures.count(
            Self.cases, month: Day(iso: "2025-06-01")!, asOf: Self.asOf, deadlineDays: 140)
        // Counted again here the plain way, from the cases' dates.
        let june = Day(iso: "2025-06-01")!...Day(iso: "2025-06-30")!
        let plans = Self.cases.filter { june.contains($0.ends[0]!) }
        let onTime = plans.filter { $0.ends[0]!.daysSinceEpoch - $0.start.daysSinceEpoch <= 140 }
        let open = Self.cases.filter { $0.start <= june.upperBound && $0.ends[0]! > june.upperBound }
        #expect(figures.requests == Self.cases.filter { june.contains($0.start) }.count)
        #expect(figures.plansIssued == plans.count)
        #expect(figures.timeliness == 100 * Double(onTime.count) / Double(plans.count))
        #expect(figures.openAtEnd == open.count)
        #expect(plans.count > 15 && onTime.count > 5 && open.count > 50)
    }

    @Test func theSameSeedGivesTheSameProjection() {
        let model = WorkloadModel(cases: Self.cases, asOf: Self.asOf, settings: Self.settings, fte: nil)
        let first = model.project(months: 3, runs: 50, seed: 9)
        #expect(first == model.project(months: 3, runs: 50, seed: 9))
        #expect(first.map(\.month).first == Day(iso: "2026-01-01"))
        #expect(first.count == 3 * WorkloadMeasure.allCases.count)
    }

    @Test func projectsTheSteadyStateItLearnt() throws {
        let model = WorkloadModel(cases: Self.cases, asOf: Self.asOf, settings: Self.settings, fte: nil)
        let rows = model.project(months: 6, runs: 200, seed: 3)
        let june = rows.filter { $0.month == Day(iso: "2026-06-01") }
        let requests = try #require(june.first { $0.measure == .requests })
        #expect(requests.band.contains(20))
        let timeliness = try #require(june.first { $0.measure == .timeliness })
        #expect(abs(timeliness.band.p50 - 50) < 15)
    }

    @Test func scenariosMoveTheProjection() throws {
        let model = WorkloadModel(cases: Self.cases, asOf: Self.asOf, settings: Self.settings, fte: 2)
        func median(_ measure: WorkloadMeasure, _ scenario: WorkloadScenario) throws -> Double {
            let rows = model.project(months: 6, runs: 200, seed: 3, scenario: scenario)
            return try #require(rows.last { $0.measure == measure }).band.p50
        }
        let more = WorkloadScenario(name: "more", requestFactor: 1.5)
        #expect(try median(.requests, more) > median(.requests, .baseline) * 1.3)
        // Half the staff from the start: capacity (the busiest month per FTE) halves, plans wait.
        let fewer = WorkloadScenario(name: "fewer", staffChanges: [.init(fte: -1, from: nil)])
        #expect(try median(.plansIssued, fewer) < median(.plansIssued, .baseline) * 0.7)
        #expect(try median(.openAssessments, fewer) > median(.openAssessments, .baseline))
    }
}
