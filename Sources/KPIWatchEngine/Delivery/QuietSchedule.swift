import KPIWatchCore

/// A sink's `quiet:` times. What would be sent in one is held in the outbox and sent when it ends.
public struct QuietSchedule: Sendable {
    public var weekends: Bool
    public var bankHolidays: BankHolidays?
    /// Minutes after midnight; a window whose end is before its start runs over midnight ("18:00-08:00").
    public var hours: [(start: Int, end: Int)]

    public init(weekends: Bool = false, bankHolidays: BankHolidays? = nil, hours: [(start: Int, end: Int)] = []) {
        self.weekends = weekends
        self.bankHolidays = bankHolidays
        self.hours = hours
    }

    public var isEmpty: Bool { !weekends && bankHolidays == nil && hours.isEmpty }

    /// Why `day` is quiet all day, or nil.
    public func quietDay(_ day: Day) -> String? {
        if weekends, day.weekday >= 6 { return "weekend" }
        if let name = bankHolidays?.name(of: day) { return name }
        return nil
    }

    /// Whether a minute of the day falls in a quiet window; the window's last minute is not quiet.
    public func isQuietMinute(_ minute: Int) -> Bool {
        hours.contains { window in
            window.start <= window.end
                ? (window.start..<window.end).contains(minute)
                : minute >= window.start || minute < window.end
        }
    }

    /// The first day after `day` that is not quiet all day (looking at most a month ahead).
    public func nextOpenDay(after day: Day) -> Day {
        var next = day.adding(days: 1)
        for _ in 0..<31 where quietDay(next) != nil { next = next.adding(days: 1) }
        return next
    }

    /// "18:00-08:00" as minutes, or nil.
    package static func window(_ text: String) -> (start: Int, end: Int)? {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let start = minute(parts[0]), let end = minute(parts[1]), start != end else {
            return nil
        }
        return (start, end)
    }

    private static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...24).contains(hour),
            (0...59).contains(minute), hour * 60 + minute <= 24 * 60
        else { return nil }
        return hour * 60 + minute
    }
}
