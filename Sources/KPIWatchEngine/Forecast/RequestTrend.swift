import Foundation
import KPIWatchCore

/// The expected number of requests in a future month: a calendar-month seasonal index times a
/// straight-line trend through the deseasonalised monthly counts, with the spread the history shows
/// beyond Poisson noise.
package struct RequestTrend: Sendable, Equatable {
    /// Index 0 is January; 1 everywhere with under a year of history.
    package var seasonal: [Double]
    /// Deseasonalised requests a month at `origin`, and the change per month.
    package var level: Double
    package var slope: Double
    package var origin: Day
    /// Standard deviation of the deseasonalised counts around the line, beyond what Poisson draws add.
    package var extraSpread: Double

    /// Fits the counts of complete months, oldest first (`months[i]` is the first day of month i).
    /// The trend is fitted over the last `trendMonths` months so that an old regime does not steer it.
    package init(months: [Day], counts: [Int], trendMonths: Int = 24) {
        // Seasonal indexes are ratios to a first straight line through the raw counts, so that a
        // rising trend is not mistaken for "later months are busier"; the trend is then refitted to
        // the deseasonalised counts.
        var seasonal = Array(repeating: 1.0, count: 12)
        if counts.count >= 12 {
            let raw = Self.line(counts.map(Double.init))
            var sums = Array(repeating: 0.0, count: 12)
            var seen = Array(repeating: 0.0, count: 12)
            for (i, (month, count)) in zip(months, counts).enumerated() {
                let fitted = raw.at(Double(i))
                guard fitted > 0 else { continue }
                sums[month.month - 1] += Double(count) / fitted
                seen[month.month - 1] += 1
            }
            seasonal = (0..<12).map { seen[$0] > 0 ? sums[$0] / seen[$0] : 1 }
            let average = seasonal.reduce(0, +) / 12
            if average > 0 { seasonal = seasonal.map { $0 / average } }
        }
        self.seasonal = seasonal
        let recent = Array(zip(months, counts).suffix(trendMonths))
        let ys = recent.map { Double($0.1) / max(seasonal[$0.0.month - 1], 1e-9) }
        origin = recent.last?.0 ?? Day(daysSinceEpoch: 0)
        let fit = Self.line(ys)
        slope = fit.slope
        level = fit.at(Double(max(ys.count - 1, 0)))
        let residual = ys.enumerated().map { i, y in y - fit.at(Double(i)) }
        let variance = residual.reduce(0) { $0 + $1 * $1 } / Double(max(residual.count - 2, 1))
        let meanY = ys.isEmpty ? 0 : ys.reduce(0, +) / Double(ys.count)
        extraSpread = ys.count < 3 ? 0 : sqrt(max(0, variance - meanY))
    }

    /// Least squares through (0, y0), (1, y1), …; a flat line through the only value, or 0 for none.
    private static func line(_ ys: [Double]) -> (intercept: Double, slope: Double, at: (Double) -> Double) {
        guard ys.count >= 2 else {
            let value = ys.first ?? 0
            return (value, 0, { _ in value })
        }
        let n = Double(ys.count)
        let meanX = (n - 1) / 2
        let meanY = ys.reduce(0, +) / n
        var sxy = 0.0
        var sxx = 0.0
        for (i, y) in ys.enumerated() {
            sxy += (Double(i) - meanX) * (y - meanY)
            sxx += (Double(i) - meanX) * (Double(i) - meanX)
        }
        let slope = sxy / sxx
        let intercept = meanY - slope * meanX
        return (intercept, slope, { intercept + slope * $0 })
    }

    /// The expected requests in the month starting `month`.
    package func expected(in month: Day) -> Double {
        let steps = Double(Self.monthsBetween(origin, month))
        return max(0, (level + slope * steps) * seasonal[month.month - 1])
    }

    package static func monthsBetween(_ a: Day, _ b: Day) -> Int { (b.year - a.year) * 12 + (b.month - a.month) }
}
