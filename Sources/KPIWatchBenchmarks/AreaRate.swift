import KPIWatchCore

/// One area's rate in a release, with the counts behind it; or why it has none.
package enum AreaRate {
    case rate(Double, counts: String)
    case unavailable(String)

    /// `scale × numerator ÷ denominator`; a missing or zero denominator is a reason, not a number.
    package static func ratio(_ numerator: Double?, _ denominator: Double?, scale: Double, what: (String, String))
        -> AreaRate
    {
        guard let numerator else { return .unavailable("\(what.0) not published") }
        guard let denominator else { return .unavailable("\(what.1) not published") }
        guard denominator > 0 else { return .unavailable("\(what.1) is 0") }
        return .rate(scale * numerator / denominator, counts: "\(count(numerator)) ÷ \(count(denominator))")
    }

    /// Counts as published: `84866`, not `84866.0`.
    package static func count(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}
