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

    /// Fixed decimals with thousands separators (without them when `separators` is false); no locale, so output is
    /// the same on every machine.
    public static func decimal(_ value: Double, places: Int, separators: Bool = true) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        // Past 2^53 a double holds no fraction, and past Int.max its whole part is no Int: its digits are
        // written out from the double itself instead of converting (which would trap).
        let exact = scaled < 9.0e15
        let whole = exact ? Int(scaled / scale) : 0
        let fraction = exact ? Int(scaled - Double(whole) * scale) : 0
        let digits = exact ? String(whole) : wholeDigits(abs(value))
        let sign = value < 0 && scaled != 0 ? "-" : ""
        let wholeText = separators ? grouped(digits) : digits
        if places == 0 { return sign + wholeText }
        let fractionText = String(fraction)
        return sign + wholeText + "." + String(repeating: "0", count: places - fractionText.count) + fractionText
    }

    /// `1234567` as `1,234,567`.
    private static func grouped(_ digits: String) -> String {
        var rest = Substring(digits)
        var result = ""
        while rest.count > 3 {
            result = "," + rest.suffix(3) + result
            rest = rest.dropLast(3)
        }
        return rest + result
    }

    /// The decimal digits of a whole, finite, non-negative double of any size (1e19 is "10000000000000000000").
    package static func wholeDigits(_ value: Double) -> String { String(format: "%.0f", value.rounded(.towardZero)) }

    /// An expression's result in a message or a label: the one rule for a number written into text a person reads,
    /// whether an int or a number produced it (a field, arithmetic, a function, `{count}`, `plural(n, …)`): a whole
    /// number without decimals, any other to one decimal; thousands separators unless `separators` is false, for
    /// numbers that name something rather than count it (a year, a case id, a label a route matches; see
    /// `MessageNumber`). A KPI's `{value}` goes by its unit instead (`format`).
    package static func plain(_ value: Value, separators: Bool = true) -> String {
        switch value {
        case .null: return "–"
        case .int(let number):
            // From the Int's own digits: past 2^53 a Double would change them.
            let digits = String(number.magnitude)
            return (number < 0 ? "-" : "") + (separators ? grouped(digits) : digits)
        case .number(let number):
            return decimal(number, places: number == number.rounded() ? 0 : 1, separators: separators)
        default: return value.description
        }
    }
}
