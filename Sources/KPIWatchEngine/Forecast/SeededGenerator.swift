import Foundation
import KPIWatchCore

/// A random number generator that depends on its seed alone (SplitMix64), so that a simulation run
/// twice with the same seed gives the same figures on every machine.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1) from the top 53 bits, independent of the standard library's own mapping.
    package mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A Poisson draw with mean `mean` (Knuth's product of uniforms, in logs so large means do not underflow).
    package mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        var count = 0
        var total = 0.0
        while true {
            total -= log(1 - unit())
            if total > mean { return count }
            count += 1
        }
    }
}

extension SeededGenerator {
    /// A standard normal draw (Box–Muller), for the spread of request rates beyond Poisson noise.
    package mutating func normal() -> Double {
        let u = 1 - unit()
        let v = unit()
        return sqrt(-2 * log(u)) * cos(2 * .pi * v)
    }
}
