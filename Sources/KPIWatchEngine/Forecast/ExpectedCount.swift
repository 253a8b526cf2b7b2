import Foundation

/// How many of a set of independent events will happen when each has its own probability (the
/// Poisson-binomial distribution): "expected breaches" is the sum of the cases' breach probabilities,
/// and this says how far the count that actually happens may fall from it.
///
/// The interval comes from the exact distribution, not a normal approximation: with few cases, or
/// probabilities near 0 or 1, the count is lopsided and a normal interval can reach below zero.
/// It treats the cases as independent; cases held up by the same cause (one adviser off sick) move
/// together, so the real spread is wider.
package struct ExpectedCount: Sendable, Equatable {
    /// The probabilities counted (cases with no probability are left out).
    package var cases: Int
    /// Σp.
    package var expected: Double
    /// Σp(1 − p).
    package var variance: Double
    /// P(count = k), k = 0 ... cases.
    package var distribution: [Double]
    /// The central interval's coverage, e.g. 0.9.
    package var level: Double
    /// The smallest count with P(count ≤ low) ≥ (1 − level) / 2.
    package var low: Int
    /// The smallest count with P(count ≤ high) ≥ 1 − (1 − level) / 2; together P(low ≤ count ≤ high) ≥ level.
    package var high: Int

    package static let defaultLevel = 0.9

    package var standardDeviation: Double { variance.squareRoot() }

    package init(probabilities: [Double], level: Double = defaultLevel) {
        let probabilities = probabilities.map { min(max($0, 0), 1) }
        // P(k events among the first i cases), one case at a time: O(n²), a few thousand cases at most.
        var distribution = [1.0]
        for p in probabilities {
            var next = Array(repeating: 0.0, count: distribution.count + 1)
            for (k, q) in distribution.enumerated() {
                next[k] += q * (1 - p)
                next[k + 1] += q * p
            }
            distribution = next
        }
        self.cases = probabilities.count
        self.expected = probabilities.reduce(0, +)
        self.variance = probabilities.reduce(0) { $0 + $1 * (1 - $1) }
        self.distribution = distribution
        self.level = level
        let tail = (1 - level) / 2
        low = Self.quantile(distribution, tail)
        high = Self.quantile(distribution, 1 - tail)
    }

    /// The smallest k whose cumulative probability reaches `q` (allowing for rounding in the sums).
    private static func quantile(_ distribution: [Double], _ q: Double) -> Int {
        var cumulative = 0.0
        for (k, p) in distribution.enumerated() {
            cumulative += p
            if cumulative >= q - 1e-12 { return k }
        }
        return distribution.count - 1
    }

    /// "90% interval 19 to 27", for text output.
    package var intervalText: String {
        "\(Int((100 * level).rounded()))% interval \(low) to \(high)"
    }
}
