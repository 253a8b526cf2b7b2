import KPIWatchCore
import KPIWatchEngine
import KPIWatchExpressions

/// The records behind one KPI value (`kpiwatch explain`): which records made it, which of them met each condition,
/// and for a KPI built on KPIs the inputs and the arithmetic.
public struct Explanation: Sendable {
    public struct Condition: Sendable {
        /// The aggregate as written, e.g. `percent(days_between(request_date, final_plan_date) <= 140)`.
        public var text: String
        /// Its column: `met`, then `met_2`, … for a value with several conditions.
        public var column: String
        /// Records where it holds: the numerator of `percent`, the value of `count(cond)`.
        public var met: Int
    }

    public struct Input: Sendable {
        public var id: String
        public var title: String
        public var period: String?
        public var value: Double?
        public var unit: Unit
    }

    public var id: String
    public var title: String
    public var unit: Unit
    public var period: String
    public var periodStart: Day?
    public var periodEnd: Day?
    public var group: [GroupField]
    /// The value and state as the run computed them.
    public var value: Double?
    public var count: Int?
    public var state: KPIState
    /// `value:` as written.
    public var expression: String
    public var dataset: String?
    /// The dataset's key field first, then the fields the rule reads, then a column per condition (`met`) and per
    /// other aggregate's argument; empty for a KPI with no dataset.
    public var columns: [String]
    public var records: [[Value]]
    public var conditions: [Condition]
    /// Fields whose values are withheld (personal fields, unless `--show-personal`).
    public var masked: [String]
    public var inputs: [Input]
    /// The value worked out again from the records listed and the inputs: equal to `value` (a test holds it so).
    public var recomputed: Double?
    /// `value:` with each `kpi.ID` replaced by its value, e.g. `100 * 1,092 / 58,234`.
    public var arithmetic: String?
    /// For a value that is a sum of breach probabilities (expected breaches): how many of the records
    /// may actually breach, as an interval around the sum.
    package var expectedCount: ExpectedCount? = nil
}
