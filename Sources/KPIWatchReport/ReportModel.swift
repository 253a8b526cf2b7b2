import KPIWatchCore

/// What a report template reads: plain values, looked up by name (`{{title}}`, `{{#areas}}…{{/areas}}`). The names
/// are the templates' contract (docs/report.md lists them): rename none.
public struct ReportContent: Sendable {
    public var title: String
    public var asOf: String
    /// The logo as a `data:` URL; nil when the project sets none.
    public var logo: String?
    public var summary: ReportSummary
    public var areas: [ReportArea]
    public var benchmarks: [BenchmarkComparison]
    public var cases: CasesAtRisk
    /// A section per forecast of the project (empty when the report is built without an engine).
    public var forecasts: [ForecastSection]
    public var dataQuality: DataQualitySection
}

public struct ReportSummary: Sendable {
    /// The overall current value of every KPI, counted by state.
    public var states: [StateCount]
    public var kpiCount: Int
    /// "67 KPIs evaluated".
    public var evaluated: String
    /// The KPIs whose overall value is critical or warning, most severe first.
    public var breached: [KPILink]
    public var alerts: String
}

public struct StateCount: Sendable {
    public var state: String
    public var word: String
    public var count: Int
}

public struct KPILink: Sendable {
    public var id: String
    public var title: String
    public var value: String
    public var state: String
    public var word: String
}

/// The KPIs of one rule file (timeliness, open assessments, …): one printed section each.
public struct ReportArea: Sendable {
    public var id: String
    public var title: String
    public var kpis: [KPISection]
}

public struct ReportChart: Sendable {
    public var title: String
    /// The inline SVG element.
    public var svg: String
    /// Where the Markdown form writes it, relative to the report.
    public var file: String
}

public struct KPISection: Sendable {
    public var id: String
    public var title: String
    public var description: String?
    public var basis: String?
    public var period: String
    public var value: String
    /// The state as a CSS class (`critical`) and as a word (`Critical`): colour is never the only cue.
    public var state: String
    public var word: String
    public var count: String?
    /// `▲`, `▼` or `▶`, and the change in words ("up 3.2 points from 45.1% in 2026-09").
    public var arrow: String?
    public var change: String?
    /// The condition that set the state, as written.
    public var threshold: String?
    public var chart: ReportChart
    public var groupChart: ReportChart?
    public var groups: [GroupRow]
    public var groupsNote: String?
    /// For a trajectory KPI: where its trend reaches by the target date.
    public var trajectory: String?
    /// For a sum of breach probabilities (expected breaches): the interval of the count, in words.
    public var interval: String? = nil
}

public struct GroupRow: Sendable {
    public var name: String
    public var value: String
    public var state: String
    public var word: String
    public var count: String?
}

public struct BenchmarkComparison: Sendable {
    public var title: String
    public var chart: ReportChart
    public var rows: [BenchmarkRow]
}

public struct BenchmarkRow: Sendable {
    public var area: String
    public var value: String
    public var year: String?
    public var source: String?
}

/// Case alerts counted per rule, team and caseworker: case ids only, never a field of the child.
public struct CasesAtRisk: Sendable {
    public var alerts: Int
    public var cases: Int
    /// "52 cases raise 208 case alerts".
    public var summary: String
    public var rules: [CaseRuleRow]
    public var teams: [CaseCountRow]
    public var caseworkers: [CaseCountRow]
    public var teamChart: ReportChart?
}

public struct CaseRuleRow: Sendable {
    public var id: String
    public var title: String
    public var severity: String
    public var count: Int
    public var caseIDs: String
}

public struct CaseCountRow: Sendable {
    public var name: String
    public var cases: Int
    public var critical: Int
    public var warning: Int
}

public struct DataQualitySection: Sendable {
    public var datasets: [DatasetRow]
    /// The data-quality KPIs (`labels: { measure: data_quality }`).
    public var kpis: [KPILink]
    /// KPIs with no value, or not evaluated (stale or unreadable data).
    public var unevaluated: [KPILink]
}

public struct DatasetRow: Sendable {
    public var name: String
    public var origin: String
    public var status: String
    public var rowsRead: String
    public var rowsSkipped: String
    public var errors: String
    public var problems: [String]
}

/// One forecast: the breaches expected among the cases due soon, and the workload projection with its band
/// and scenarios, as charts and as a table of the baseline.
public struct ForecastSection: Sendable {
    public var id: String
    public var title: String
    public var description: String?
    /// "Due in the next 28 days: 55 open cases, 23.2 expected to miss the deadline (90% interval 20 to 26, …)".
    public var dueSoon: String?
    /// Each scenario in words ("two_more_officers: +2 assessment FTE from 2027-01").
    public var scenarios: [String]
    /// A chart per measure: requests, open assessments, plans issued, timeliness.
    public var charts: [ReportChart]
    /// The table's measure headings, and a row per month of the baseline's "median (p10–p90)".
    public var columns: [String]
    public var months: [ForecastMonthRow]
    /// How to read the charts.
    public var note: String
    /// Why the forecast could not be worked out, if it could not.
    public var problem: String?
}

public struct ForecastMonthRow: Sendable {
    public var month: String
    public var cells: [String]
}
