import KPIWatchCore

/// Excel's 1900 date system: a date cell saved to CSV without formatting becomes a bare number
/// such as `45292` (2024-01-01).
///
/// Excel copied Lotus 1-2-3's belief that 1900 was a leap year: serial 60 is the non-existent
/// 1900-02-29, serials before it are one day later than a true count from 1899-12-31 would give
/// after it. So serials below 60 count from 1899-12-31, serials above 60 from 1899-12-30, and 60
/// itself is no date at all. The fraction of a serial is the time of day, which is ignored.
package enum ExcelSerialDate {
    /// 1900-01-01 to 9999-12-31, the dates Excel can show.
    package static let validSerials = 1...2_958_465

    package enum Outcome: Equatable {
        case day(Day)
        case lotusLeapDay
        case outOfRange
    }

    package static func day(fromSerial serial: Double) -> Outcome {
        guard serial.isFinite, serial >= 1, serial < Double(validSerials.upperBound + 1) else { return .outOfRange }
        let whole = Int(serial.rounded(.down))
        if whole == 60 { return .lotusLeapDay }
        let base = whole < 60 ? Day(year: 1899, month: 12, day: 31)! : Day(year: 1899, month: 12, day: 30)!
        return .day(base.adding(days: whole))
    }
}
