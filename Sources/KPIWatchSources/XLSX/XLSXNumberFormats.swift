import KPIWatchCore

/// Decides which number formats show a date. A workbook stores a date as a plain number; only the
/// cell's format (`s` → `cellXfs` → `numFmtId`) tells a date from a count of weeks.
package enum XLSXNumberFormats {
    /// Built-in formats that display dates or times (ECMA-376 §18.8.30): 14–17 dates, 18–21 times,
    /// 22 date and time, 45–47 minutes and seconds. Times are read as dates too, as Excel counts them.
    package static let builtInDateIDs: Set<Int> = Set(14...22).union(45...47)

    /// Whether format `id` (with its `formatCode` if the workbook defines it) displays a date.
    package static func isDate(id: Int, code: String?) -> Bool {
        if let code { return isDateCode(code) }
        return builtInDateIDs.contains(id)
    }

    /// A custom code is a date format if, outside quoted text, `[...]` sections (colours,
    /// conditions, locales) and escaped characters, it has a day or year token, or a month token
    /// with no hours or seconds beside it (in `h:mm` and `mm:ss` an `m` means minutes).
    package static func isDateCode(_ code: String) -> Bool {
        var hasDay = false
        var hasYear = false
        var hasMonthOrMinute = false
        var hasTime = false
        var inQuotes = false
        var inBrackets = false
        var skipNext = false
        for character in code.lowercased() {
            if skipNext {
                skipNext = false
                continue
            }
            if inQuotes {
                if character == "\"" { inQuotes = false }
                continue
            }
            if inBrackets {
                if character == "]" { inBrackets = false }
                continue
            }
            switch character {
            case "\"": inQuotes = true
            case "[": inBrackets = true
            // `\x` shows x; `_x` leaves the width of x; `*x` repeats x to fill the cell.
            case "\\", "_", "*": skipNext = true
            case "d": hasDay = true
            case "y": hasYear = true
            case "m": hasMonthOrMinute = true
            case "h", "s": hasTime = true
            default: break
            }
        }
        return hasDay || hasYear || (hasMonthOrMinute && !hasTime)
    }
}
