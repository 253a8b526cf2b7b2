import KPIWatchCore

/// Runs a simulation many times from one seed and summarises each output as a band, so that the
/// same seed gives the same band on every machine.
package struct Band: Sendable, Equatable {
    package var p10: Double
    package var p50: Double
    package var p90: Double

    package func contains(_ value: Double) -> Bool { value >= p10 && value <= p90 }
}

package enum MonteCarlo {
    /// Each run gets its own generator, seeded from `seed` and the run number, so a run's draws do
    /// not depend on how many draws the runs before it made.
    /// `simulate` returns one value per output (e.g. per month); every run must return as many.
    /// An output no run gave a value for has a NaN band.
    package static func bands(runs: Int, seed: UInt64, simulate: (inout SeededGenerator) -> [Double]) -> [Band] {
        var outputs: [[Double]] = []
        for run in 0..<max(runs, 1) {
            var generator = SeededGenerator(seed: seed &+ UInt64(run) &* 0x2545_F491_4F6C_DD1D)
            let values = simulate(&generator)
            if outputs.isEmpty { outputs = Array(repeating: [], count: values.count) }
            // A run with no value for an output (NaN: no plans, no timeliness) leaves it out of that band.
            for (index, value) in values.enumerated() where index < outputs.count && value.isFinite {
                outputs[index].append(value)
            }
        }
        return outputs.map { values -> Band in
            func quantile(_ p: Double) -> Double { Accumulator.percentile(values, p).double ?? .nan }
            return Band(p10: quantile(10), p50: quantile(50), p90: quantile(90))
        }
    }
}
