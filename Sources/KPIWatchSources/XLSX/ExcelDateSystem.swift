import KPIWatchCore

/// How a workbook counts days: cells typed as dates hold a serial number of days from an epoch.
package enum ExcelDateSystem: Sendable, Hashable {
    /// Windows Excel's default. Serial 1 is 1900-01-01, and serial 60 is 1900-02-29, a day that never
    /// existed: Lotus 1-2-3 took 1900 for a leap year and Excel kept the mistake for compatibility,
    /// so every serial from 61 on is one more than the days actually elapsed.
    case from1900
    /// `<workbookPr date1904="1"/>`, old Mac Excel's: serial 0 is 1904-01-01, with no phantom day.
    case from1904

    /// What a serial in a date-formatted cell means.
    package enum Reading: Sendable, Hashable {
        case day(Day)
        /// Serial 60 of the 1900 system: Excel shows 29/02/1900.
        case phantomLeapDay
        /// Before the epoch or after 9999-12-31: Excel shows `#####`.
        case outOfRange
    }

    /// The day of `serial`; a fraction (the time of day) is dropped.
    package func reading(ofSerial serial: Double) -> Reading {
        guard serial.isFinite else { return .outOfRange }
        let whole = serial.rounded(.down)
        switch self {
        case .from1900:
            guard whole >= 1, whole <= 2_958_465 else { return .outOfRange }
            let days = Int(whole)
            if days == 60 { return .phantomLeapDay }
            let epoch = days < 60 ? ExcelDateSystem.epochBeforeLeapDay : ExcelDateSystem.epochAfterLeapDay
            return .day(epoch.adding(days: days))
        case .from1904:
            guard whole >= 0, whole <= 2_957_003 else { return .outOfRange }
            return .day(ExcelDateSystem.firstDayOf1904.adding(days: Int(whole)))
        }
    }

    /// Serial 0 for serials below 60, and, one day earlier, for those above: the phantom day shifts them.
    private static let epochBeforeLeapDay = Day(year: 1899, month: 12, day: 31)!
    private static let epochAfterLeapDay = Day(year: 1899, month: 12, day: 30)!
    private static let firstDayOf1904 = Day(year: 1904, month: 1, day: 1)!
}
