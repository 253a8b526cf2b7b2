import Foundation
import KPIWatchCore

/// One benchmark written by `kpiwatch benchmarks`: a value read or computed from a release, with the
/// year it describes and where it came from, so that a reader can check it against the file.
public struct BenchmarkFigure: Sendable, Equatable {
    /// The name the rule pack uses, e.g. `national_timeliness_20w`.
    public var name: String
    /// Unrounded; `rounded` is what the file says.
    public var value: Double
    /// Decimal places written: 1, or 2 for request rates (about 1%, where 0.1 is a tenth of the value).
    public var places: Int
    public var year: String
    public var source: String

    public var rounded: Double { (value * scale).rounded() / scale }

    /// The value as written to the file: `46.4`, `0.90`.
    public var text: String { String(format: "%.\(places)f", rounded) }

    private var scale: Double { pow(10, Double(places)) }
}

/// A benchmark that could not be computed, and why: written as a comment, never silently left out.
public struct MissingBenchmark: Sendable, Equatable {
    public var name: String
    public var reason: String
}

/// A line of the written file, in the order of the rule pack's names.
public enum BenchmarkEntry: Sendable, Equatable {
    case figure(BenchmarkFigure)
    case missing(MissingBenchmark)
}
