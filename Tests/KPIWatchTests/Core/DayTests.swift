import Testing

@testable import KPIWatchCore

@Suite struct DayTests {
    @Test func roundTripsCivilDates() {
        let day = Day(year: 2024, month: 2, day: 29)!
        #expect(day.iso == "2024-02-29")
        #expect(Day(iso: "2024-02-29") == day)
        #expect(Day(year: 2023, month: 2, day: 29) == nil)
        #expect(Day(daysSinceEpoch: 0).iso == "1970-01-01")
    }

    @Test func addsMonthsClampingToMonthEnd() {
        #expect(Day(iso: "2024-01-31")!.adding(months: 1).iso == "2024-02-29")
        #expect(Day(iso: "2023-01-31")!.adding(months: 1).iso == "2023-02-28")
        #expect(Day(iso: "2024-03-31")!.adding(months: -1).iso == "2024-02-29")
        #expect(Day(iso: "2023-12-15")!.adding(months: 1).iso == "2024-01-15")
        #expect(Day(iso: "2024-01-15")!.adding(months: -13).iso == "2022-12-15")
    }

    @Test func knowsWeekdays() {
        #expect(Day(iso: "2026-11-23")!.weekday == 1)  // a Monday
        #expect(Day(iso: "2026-11-22")!.weekday == 7)
    }

    @Test func suggestsNearestName() {
        #expect(nearestName(to: "recieved", in: ["received", "request_date"]) == "received")
        #expect(nearestName(to: "zzzzzz", in: ["received"]) == nil)
    }
}
