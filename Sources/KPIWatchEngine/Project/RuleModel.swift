import KPIWatchCore

/// The rule files' content (RULES.md §2), as written: expressions are kept as located text and
/// compiled against the datasets by `RuleCompiler`, so every error can point into the YAML.

public enum PeriodKind: String, Sendable, CaseIterable {
    case month, quarter, year
    case yearToDate = "year_to_date"
    case rolling12Months = "rolling_12_months"
    case snapshot, all

    /// Periods that place records by a date, and so require `date:`.
    public var needsDate: Bool { self != .snapshot && self != .all }
}

public enum Unit: String, Sendable, CaseIterable {
    case percent, count, number, days, weeks, ratio
}

public enum Severity: String, Sendable, CaseIterable, Comparable {
    case warning, critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

    package var rank: Int { self == .warning ? 1 : 2 }
}

/// What a KPI with no value raises: nothing (`ignore`), a warning, a critical, or an `unknown` alert.
public enum NoDataPolicy: String, Sendable, CaseIterable {
    case ignore, warning, critical, unknown
}

public struct Threshold: Sendable {
    public var severity: Severity
    public var condition: LocatedText

    public init(severity: Severity, condition: LocatedText) {
        self.severity = severity
        self.condition = condition
    }
}

/// A name written in YAML, with where it was written.
public struct LocatedName: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation

    public init(_ name: String, at location: SourceLocation) {
        self.name = name
        self.location = location
    }
}

public struct KPIRule: Sendable {
    /// The most periods `history` may ask for (83 years of months): each is computed and kept for every group.
    public static let maxHistory = 1000

    public var id: String
    public var title: String
    public var description: String?
    /// The statutory or local basis of the KPI (`basis:`), shown by documentation and `explain`.
    public var basis: String?
    /// nil: a KPI built only on other KPIs.
    public var dataset: LocatedName?
    public var whereClause: LocatedText?
    public var date: LocatedText?
    /// nil for a KPI with no dataset: its periods come from the KPIs it references.
    public var period: PeriodKind?
    public var history: Int
    public var cumulative: Bool
    public var value: LocatedText
    public var groupBy: [LocatedName]
    public var unit: Unit
    public var higherIsBetter: Bool?
    /// In the order written: the first that holds sets the severity.
    public var thresholds: [Threshold]
    public var forPeriods: Int?
    public var minCount: Int?
    public var noData: NoDataPolicy
    public var labels: [String: String]
    public var message: LocatedText?
    /// How its alerts are notified (`repeat_interval`, `send_resolved`, `keep_firing_for`, `inhibits`).
    public var policy: AlertPolicy = AlertPolicy()
    public var file: String
    public var location: SourceLocation

    public init(
        id: String, title: String, description: String? = nil, basis: String? = nil,
        dataset: LocatedName?,
        whereClause: LocatedText? = nil, date: LocatedText? = nil, period: PeriodKind?,
        history: Int = 1,
        cumulative: Bool = false, value: LocatedText, groupBy: [LocatedName] = [], unit: Unit = .number,
        higherIsBetter: Bool? = nil, thresholds: [Threshold] = [], forPeriods: Int? = nil,
        minCount: Int? = nil,
        noData: NoDataPolicy = .ignore, labels: [String: String] = [:], message: LocatedText? = nil,
        file: String,
        location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.basis = basis
        self.dataset = dataset
        self.whereClause = whereClause
        self.date = date
        self.period = period
        self.history = history
        self.cumulative = cumulative
        self.value = value
        self.groupBy = groupBy
        self.unit = unit
        self.higherIsBetter = higherIsBetter
        self.thresholds = thresholds
        self.forPeriods = forPeriods
        self.minCount = minCount
        self.noData = noData
        self.labels = labels
        self.message = message
        self.file = file
        self.location = location
    }
}

public struct CaseAlertRule: Sendable {
    public var id: String
    public var title: String
    public var description: String?
    public var basis: String?
    public var dataset: LocatedName
    public var key: LocatedText
    public var whereClause: LocatedText
    public var severity: Severity
    /// Label values are templates (`team: "{team}"`).
    public var labels: [String: LocatedText]
    public var message: LocatedText?
    /// How its alerts are notified (`repeat_interval`, `send_resolved`, `keep_firing_for`, `inhibits`).
    public var policy: AlertPolicy = AlertPolicy()
    public var file: String
    public var location: SourceLocation

    public init(
        id: String, title: String, description: String? = nil, basis: String? = nil,
        dataset: LocatedName,
        key: LocatedText, whereClause: LocatedText, severity: Severity,
        labels: [String: LocatedText] = [:],
        message: LocatedText? = nil, file: String, location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.basis = basis
        self.dataset = dataset
        self.key = key
        self.whereClause = whereClause
        self.severity = severity
        self.labels = labels
        self.message = message
        self.file = file
        self.location = location
    }
}

/// A named reference value (`benchmark.NAME`): a number, or a date for targets set "by a date", or a list of
/// text codes (`list`, with `value` null) that a rule tests with `x in [benchmark.NAME]`.
public struct Benchmark: Sendable {
    public var name: String
    public var value: Value
    public var list: [Value]?
    public var year: String?
    public var source: String?
    public var location: SourceLocation

    public init(
        name: String, value: Value, list: [Value]? = nil, year: String? = nil, source: String? = nil,
        location: SourceLocation
    ) {
        self.name = name
        self.value = value
        self.list = list
        self.year = year
        self.source = source
        self.location = location
    }
}

/// Everything the rule files and benchmark files hold.
public struct RuleSet: Sendable {
    public var kpis: [KPIRule]
    public var caseAlerts: [CaseAlertRule]
    public var benchmarks: [String: Benchmark]
    /// `forecasts:` (docs/forecasts.md), in the order written.
    package var forecasts: [ForecastRule] = []
    /// Ids of rules left out because their structure is broken (each error reported): references to them are
    /// not errors of their own.
    public var unchecked: Set<String> = []

    public init(
        kpis: [KPIRule] = [], caseAlerts: [CaseAlertRule] = [], benchmarks: [String: Benchmark] = [:]
    ) {
        self.kpis = kpis
        self.caseAlerts = caseAlerts
        self.benchmarks = benchmarks
    }
}
