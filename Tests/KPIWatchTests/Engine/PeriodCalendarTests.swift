import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Regressions found by the standard pack's leap-year fixtures (PackDemandTests).
@Suite struct PeriodCalendarTests {
    func periods(_ kind: PeriodKind, asOf: String, history: Int = 2) -> [Period] {
        let calendar = PeriodCalendar(asOf: Day(iso: asOf)!, yearStart: YearStart(month: 1, day: 1))
        return calendar.plan(kind: kind, history: history, cumulative: false).periods
    }

    @Test func twelveMonthsToTheEndOfAMonthAreTwelveWholeMonthsAfterALeapYear() {
        // To 28/02/2025 is March 2024 – February 2025; 28/02/2024 + 1 day would take in 29 February 2024 too.
        let current = periods(.rolling12Months, asOf: "2025-02-28").last!
        #expect(current.start.iso == "2024-03-01")
        #expect(current.end.iso == "2025-02-28")
        // In a leap year, to 29/02/2024 is 01/03/2023 – 29/02/2024 as before.
        #expect(periods(.rolling12Months, asOf: "2024-02-29").last!.start.iso == "2023-03-01")
        // Not at a month end the window is the same day a year earlier plus one.
        #expect(periods(.rolling12Months, asOf: "2025-02-27").last!.start.iso == "2024-02-28")
    }

    @Test func lastYearsYearToDateToTheEndOfFebruaryEndsOnTheLeapDay() {
        let spans = periods(.yearToDate, asOf: "2025-02-28").suffix(2)
        #expect(spans.map(\.start.iso) == ["2024-01-01", "2025-01-01"])
        #expect(spans.map(\.end.iso) == ["2024-02-29", "2025-02-28"])
        // Mid-month the span ends on the same day a year earlier.
        #expect(periods(.yearToDate, asOf: "2025-02-20").suffix(2).first!.end.iso == "2024-02-20")
    }
}
