import KPIWatchCore

/// Whole-unit date differences as caseworkers count them, built on `Day.adding(months:)` so that
/// a month from 31 January is the end of February.
package enum CalendarMath {
    /// The largest m ≥ 0 with a + m months ≤ b when b ≥ a, else −monthsBetween(b, a).
    package static func monthsBetween(_ a: Day, _ b: Day) -> Int {
        if b < a { return -monthsBetween(b, a) }
        let (ay, am, _) = a.components
        let (by, bm, _) = b.components
        var months = (by * 12 + bm) - (ay * 12 + am)
        // a + months lands in b's month; a later day of the month means one month short.
        if a.adding(months: months) > b { months -= 1 }
        return months
    }

    /// Whole years completed: k years have passed once dob + 12k months ≤ on, so a 29 February
    /// birthday falls on 28 February in common years.
    package static func age(born: Day, on day: Day) -> Int {
        monthsBetween(born, day) / 12
    }

    /// Days from a to b, in whole weeks truncated toward zero (139 days is 19 weeks, 140 is 20).
    package static func weeksBetween(_ a: Day, _ b: Day) -> Int {
        (b.daysSinceEpoch - a.daysSinceEpoch) / 7
    }
}

/// Numeric helpers with the rounding users expect from a spreadsheet.
package enum NumberMath {
    /// Half away from zero at `places` decimals (negative places round to tens, hundreds…).
    package static func round(_ x: Double, places: Int) -> Double {
        guard x.isFinite else { return x }
        if places > 15 { return x }
        if places < -308 { return 0 }
        let scale = powerOfTen(abs(places))
        let scaled = places >= 0 ? x * scale : x / scale
        var rounded = scaled.rounded(.toNearestOrAwayFromZero)
        // 1.005 is stored as 1.00499…: a near-tie is decided on the shortest decimal that reads back
        // as x (what the user sees), not on its binary approximation. Rare, so the string work is too.
        let fraction = abs(scaled - scaled.rounded(.towardZero))
        if abs(fraction - 0.5) < 1e-6, let decimal = shiftedDecimal(x, by: places) {
            rounded = decimal.rounded(.toNearestOrAwayFromZero)
        }
        return places >= 0 ? rounded / scale : rounded * scale
    }

    /// x × 10^places computed on x's decimal digits, exactly as a decimal would be.
    private static func shiftedDecimal(_ x: Double, by places: Int) -> Double? {
        let written = x.description
        let parts = written.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        return Double("\(parts[0])e\(exponent + places)")
    }

    package static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The int a whole number is, or nil when it is not finite or out of range.
    package static func integer(_ x: Double) -> Int? {
        guard x.isFinite, x >= -9.2e18, x <= 9.2e18 else { return nil }
        return Int(x)
    }
}
