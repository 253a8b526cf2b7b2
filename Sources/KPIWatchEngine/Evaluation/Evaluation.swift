import KPIWatchCore

/// How reading one dataset went: rows read and skipped, its errors, and whether it was fresh.
public struct DatasetOutcome: Sendable {
    public enum Status: String, Sendable {
        case ok, stale, error
    }

    public var name: String
    public var origin: String
    public var status: Status
    public var rowsRead: Int
    public var rowsSkipped: Int
    /// Every reported problem (data errors up to the dataset's limit), typed until it is printed.
    public var problems: [DatasetProblem]
    /// All bad values, including those past the reporting limit.
    public var errorCount: Int
    /// Why each KPI a database could not compute was evaluated in process instead (not a problem: the values are
    /// the same, only slower to get; `check -v` shows them).
    public var pushdownFallbacks: [String] = []

    public init(
        name: String, origin: String, status: Status, rowsRead: Int = 0, rowsSkipped: Int = 0,
        problems: [DatasetProblem] = [], errorCount: Int = 0
    ) {
        self.name = name
        self.origin = origin
        self.status = status
        self.rowsRead = rowsRead
        self.rowsSkipped = rowsSkipped
        self.problems = problems
        self.errorCount = errorCount
    }
}

/// The outcome of one run: every KPI value with its state, the alerts, and how each dataset read.
public struct Evaluation: Sendable {
    public var asOf: Day
    /// Every computed period of every KPI, oldest first per KPI and group; the overall value first.
    public var results: [KPIResult]
    public var alerts: [Alert]
    public var datasets: [DatasetOutcome]

    /// 0 all OK, 1 a warning, 2 a critical, 3 could not evaluate (RULES.md §5).
    public var exitCode: Int32 {
        if datasets.contains(where: { $0.status != .ok }) { return 3 }
        if results.contains(where: { $0.state == .error || $0.state == .stale }) { return 3 }
        if alerts.contains(where: { $0.severity == .critical }) { return 2 }
        if !alerts.isEmpty { return 1 }
        return 0
    }

    public var currentResults: [KPIResult] { results.filter(\.current) }
}
