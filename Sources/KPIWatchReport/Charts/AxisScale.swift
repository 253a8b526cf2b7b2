import Foundation
import KPIWatchCore

/// A linear value axis with round tick values ("nice numbers"), spanning every value to be drawn.
package struct AxisScale {
    package let minimum: Double
    package let maximum: Double
    package let ticks: [Double]

    /// `values` must all be finite; an empty or flat set still gets an axis around it.
    package init(covering values: [Double], includeZero: Bool = true, tickCount: Int = 5) {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if includeZero {
            low = min(low, 0)
            high = max(high, 0)
        }
        if high - low < 1e-9 {
            high = low + (low == 0 ? 1 : abs(low) * 0.5)
        }
        let step = Self.niceStep((high - low) / Double(max(tickCount - 1, 1)))
        let first = (low / step).rounded(.down) * step
        let last = (high / step).rounded(.up) * step
        var ticks: [Double] = []
        var tick = first
        while tick <= last + step / 2 {
            ticks.append(abs(tick) < step / 1e6 ? 0 : tick)
            tick += step
        }
        self.minimum = first
        self.maximum = last
        self.ticks = ticks
    }

    /// 1, 2, 2.5 or 5 times a power of ten, the smallest at least `raw`.
    package static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 2.5, 5, 10] where factor * power >= raw * (1 - 1e-9) { return factor * power }
        return 10 * power
    }

    /// Where `value` falls between `low` and `high` (screen coordinates; `low` may be the larger).
    package func position(_ value: Double, from low: Double, to high: Double) -> Double {
        low + (value - minimum) / (maximum - minimum) * (high - low)
    }
}
