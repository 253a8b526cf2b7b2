import KPIWatchCore

/// What names an expression may use, and where their values live at run time.
///
/// Names resolve in this order: `as_of`; a record field; a variable (a dotted variable such as
/// `kpi.title` may be declared too); `kpi.ID`; `benchmark.NAME`.
public struct ExpressionScope: Sendable {
    public struct Field: Sendable {
        public var type: FieldType
        public var index: Int
        public var personal: Bool

        public init(type: FieldType, index: Int, personal: Bool = false) {
            self.type = type
            self.index = index
            self.personal = personal
        }
    }

    public struct Variable: Sendable {
        public var type: ExprType
        public var slot: Int

        public init(type: ExprType, slot: Int) {
            self.type = type
            self.slot = slot
        }
    }

    /// Record fields → `EvalContext.row[index]`.
    public var fields: [String: Field]
    /// E.g. `value`, `previous`, `count`, `team` → `EvalContext.slots[slot]`.
    public var variables: [String: Variable]
    /// `kpi.ID` → `EvalContext.slots[slot]` (a number).
    public var kpis: [String: Int]
    /// The KPI whose value is being checked: it cannot reference itself. Kept apart from `kpis` so that the one
    /// table of slots serves every KPI (copying it without the KPI, per KPI, is quadratic in their number).
    public var ownKPI: String?
    /// `benchmark.NAME` → a constant (number or date).
    public var benchmarks: [String: Value]
    /// A KPI's `value:`: aggregates are allowed, and fields are then allowed only inside them.
    public var allowAggregates: Bool
    /// Thresholds: `forecast(DATE)` → `EvalContext.forecast`.
    public var allowForecast: Bool
    /// `breach_probability("ID")` → `EvalContext.forecasts[slot]`, for every forecast of the project: the
    /// slot is nil for one over another dataset (an error naming that dataset), and the table is empty where
    /// there is no record (thresholds, KPIs built on KPIs).
    package var forecasts: [String: ForecastReference] = [:]

    package struct ForecastReference: Sendable {
        package var slot: Int?
        package var dataset: String

        package init(slot: Int?, dataset: String) {
            self.slot = slot
            self.dataset = dataset
        }
    }

    public init(
        fields: [String: Field] = [:], variables: [String: Variable] = [:], kpis: [String: Int] = [:],
        benchmarks: [String: Value] = [:], allowAggregates: Bool = false, allowForecast: Bool = false
    ) {
        self.fields = fields
        self.variables = variables
        self.kpis = kpis
        self.benchmarks = benchmarks
        self.allowAggregates = allowAggregates
        self.allowForecast = allowForecast
    }
}
