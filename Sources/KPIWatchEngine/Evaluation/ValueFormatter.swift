import Foundation
import KPIWatchCore

/// Formats KPI values by unit the way a committee paper prints them: `64.7%`, `1,204`, `18.5 weeks`.
public enum ValueFormatter {
    public static func format(_ value: Double?, unit: Unit) -> String {
        guard let value, value.isFinite else { return "–" }
        switch unit {
        // Request rates are fractions of a percent (0.83%): they need a second decimal to read.
        case .percent: return decimal(value, places: abs(value) < 1 && value != 0 ? 2 : 1) + "%"
        case .count: return decimal(value, places: value == value.rounded() ? 0 : 1)
        case .number: return decimal(value, places: value == value.rounded() ? 0 : 2)
        case .days: return decimal(value, places: value == value.rounded() ? 0 : 1) + (value == 1 ? " day" : " days")
        case .weeks: return decimal(value, places: value == value.rounded() ? 0 : 1) + (value == 1 ? " week" : " weeks")
        case .ratio: return decimal(value, places: 2)
        }
    }

    /// Fixed decimals with thousands separators; no locale, so output is the same on every machine.
    public static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        // Past 2^53 a double holds no fraction, and past Int.max its whole part is no Int: its digits are
        // written out from the double itself instead of converting (which would trap).
        let exact = scaled < 9.0e15
        let whole = exact ? Int(scaled / scale) : 0
        let fraction = exact ? Int(scaled - Double(whole) * scale) : 0
        var digits = exact ? String(whole) : wholeDigits(abs(value))
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        let sign = value < 0 && scaled != 0 ? "-" : ""
        if places == 0 { return sign + grouped }
        let fractionText = String(fraction)
        return sign + grouped + "." + String(repeating: "0", count: places - fractionText.count) + fractionText
    }

    /// The decimal digits of a whole, finite, non-negative double of any size (1e19 is "10000000000000000000").
    package static func wholeDigits(_ value: Double) -> String { String(format: "%.0f", value.rounded(.towardZero)) }

    /// An expression's result inside a message: numbers to at most one decimal.
    package static func plain(_ value: Value) -> String {
        switch value {
        case .null: return "–"
        case .number(let number):
            return number == number.rounded() ? decimal(number, places: 0) : decimal(number, places: 1)
        default: return value.description
        }
    }
}
