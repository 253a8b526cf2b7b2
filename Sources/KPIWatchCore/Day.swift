/// A calendar date with no time and no zone: the unit every KPI deadline is counted in.
///
/// Stored as days since 1970-01-01 so that date arithmetic is integer arithmetic and a
/// million comparisons cost nothing; the civil conversions follow Howard Hinnant's
/// `days_from_civil` / `civil_from_days` algorithms (proleptic Gregorian calendar).
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var daysSinceEpoch: Int

    public init(daysSinceEpoch: Int) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// A valid calendar date, or nil (`Day(year: 2023, month: 2, day: 29)` is nil).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysInMonth(year: year, month: month)
        else {
            return nil
        }
        self.daysSinceEpoch = Day.daysFromCivil(year, month, day)
    }

    /// Parses `yyyy-MM-dd` exactly.
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var result = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                result = result * 10 + digit
            }
            return result
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else {
            return nil
        }
        self.init(year: year, month: month, day: day)
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public var components: (year: Int, month: Int, day: Int) { Day.civilFromDays(daysSinceEpoch) }
    public var year: Int { components.year }
    public var month: Int { components.month }
    public var day: Int { components.day }

    /// ISO weekday: 1 is Monday, 7 is Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let shifted = (daysSinceEpoch + 3) % 7
        return (shifted < 0 ? shifted + 7 : shifted) + 1
    }

    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }

    /// Calendar month arithmetic that clamps to the end of a shorter month:
    /// 2024-01-31 plus one month is 2024-02-29, as a caseworker would count it.
    public func adding(months: Int) -> Day {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let year = total >= 0 ? total / 12 : (total - 11) / 12
        let month = total - year * 12 + 1
        let day = min(d, Day.daysInMonth(year: year, month: month))
        return Day(daysSinceEpoch: Day.daysFromCivil(year, month, day))
    }

    public var firstOfMonth: Day {
        let (y, m, _) = components
        return Day(daysSinceEpoch: Day.daysFromCivil(y, m, 1))
    }

    public var lastOfMonth: Day {
        let (y, m, _) = components
        return Day(daysSinceEpoch: Day.daysFromCivil(y, m, Day.daysInMonth(year: y, month: m)))
    }

    public var iso: String {
        let (y, m, d) = components
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public var description: String { iso }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    package static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    package static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
