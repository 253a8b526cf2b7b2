import KPIWatchCore

/// A horizontal level drawn across a chart: a threshold or a benchmark, labelled in words (the dash pattern and
/// the label say what it is, so colour is never the only cue).
public struct ReferenceLine: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case critical, warning, benchmark, target
    }

    public var level: Double
    public var label: String
    public var kind: Kind

    public init(level: Double, label: String, kind: Kind) {
        self.level = level
        self.label = label
        self.kind = kind
    }

    package var dash: String {
        switch kind {
        case .critical: return "7 3"
        case .warning: return "3 3"
        case .benchmark: return "1 3"
        case .target: return "10 4"
        }
    }
}
