import KPIWatchCore
import KPIWatchEngine

/// A KPI value as a person reads it in a channel, by unit: `64.7%`, `1,204`, `18.5 weeks`.
package enum ValueText {
    package static func format(_ value: Double, unit: Unit?) -> String {
        guard value.isFinite else { return String(value) }
        switch unit {
        case .percent: return fixed(value, decimals: 1) + "%"
        case .count: return fixed(value, decimals: value.rounded() == value ? 0 : 1)
        case .days: return trimmed(value, decimals: 1) + (value == 1 ? " day" : " days")
        case .weeks: return trimmed(value, decimals: 1) + (value == 1 ? " week" : " weeks")
        case .ratio: return trimmed(value, decimals: 3)
        case .number, nil: return trimmed(value, decimals: 2)
        }
    }

    /// Exactly `decimals` places, thousands grouped with commas.
    package static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let units = Int(scaled)
        let whole = units / Int(scale)
        let fraction = units % Int(scale)
        var text = grouped(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return (value < 0 && scaled > 0 ? "-" : "") + text
    }

    /// At most `decimals` places, without trailing zeros.
    package static func trimmed(_ value: Double, decimals: Int) -> String {
        var text = fixed(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    private static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }
}
