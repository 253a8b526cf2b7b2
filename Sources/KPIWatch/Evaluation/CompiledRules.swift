/// A dataset's fields as expressions see them: the slot of each field in a record.
struct DatasetSchema: Sendable {
    var config: DatasetConfig
    var index: [String: Int]

    init(_ config: DatasetConfig) {
        self.config = config
        var index: [String: Int] = [:]
        for (position, field) in config.fields.enumerated() { index[field.name] = position }
        self.index = index
    }

    var scopeFields: [String: ExpressionScope.Field] {
        var fields: [String: ExpressionScope.Field] = [:]
        for (position, field) in config.fields.enumerated() {
            fields[field.name] = .init(type: field.type, index: position, personal: field.personal)
        }
        return fields
    }

    var personalFields: Set<String> { Set(config.fields.filter(\.personal).map(\.name)) }
}

/// A message or label template, its placeholders compiled.
struct CompiledTemplate: Sendable {
    enum Part: Sendable {
        case literal(String)
        /// A name with a meaning of its own in KPI messages (`value`, `period`, `benchmark.NAME`, …).
        case special(String)
        case expression(CompiledExpression)
    }

    var parts: [Part]
    var text: String
}

/// The threshold variables of a KPI, in the order of their context slots; group fields follow.
enum ThresholdVariable: String, CaseIterable, Sendable {
    case value, previous, change, count
    case minOfHistory = "min_of_history"
    case maxOfHistory = "max_of_history"
    case avgOfHistory = "avg_of_history"
    case trend

    var type: ExprType { self == .count ? .int : .number }
}

struct CompiledThreshold: Sendable {
    var severity: Severity
    var condition: CompiledExpression
}

/// A KPI ready to run: every expression compiled against its dataset.
struct CompiledKPI: Sendable {
    var rule: KPIRule
    /// Position in `CompiledRules.kpis`, which is also its slot for `kpi.ID` references.
    var slot: Int
    var dataset: String?
    var whereClause: CompiledExpression?
    var date: CompiledExpression?
    var groupFields: [String]
    var groupIndexes: [Int]
    var value: CompiledExpression
    var aggregates: [AggregateCall]
    /// The slots of the KPIs its value references (`kpi.ID`), resolved once when the rules load.
    var referenceSlots: [Int]
    var thresholds: [CompiledThreshold]
    var message: CompiledTemplate?
    /// Whether a snapshot's `as_of` changes per period, so record expressions run once per period.
    var evaluatesPerPeriod: Bool { rule.period == .snapshot && rule.history > 1 }
}

struct CompiledCaseAlert: Sendable {
    var rule: CaseAlertRule
    var whereClause: CompiledExpression
    var key: CompiledExpression
    var labels: [(String, CompiledTemplate)]
    var message: CompiledTemplate?
}

/// Every rule of a project, compiled and in dependency order.
public struct CompiledRules: Sendable {
    var schemas: [String: DatasetSchema]
    /// Topologically ordered: a KPI comes after every KPI it references.
    var kpis: [CompiledKPI]
    var caseAlerts: [CompiledCaseAlert]
    var benchmarks: [String: Benchmark]
    var order: [Int]

    public var kpiIDs: [String] { kpis.map(\.rule.id) }
    public var caseAlertIDs: [String] { caseAlerts.map(\.rule.id) }
}

/// The period being computed, visible in a KPI's `value` (e.g. to project a year from its part):
/// their slots follow the KPI slots.
enum PeriodVariable: String, CaseIterable, Sendable {
    case periodStart = "period_start"
    case periodEnd = "period_end"

    static func scope(after kpiCount: Int) -> [String: ExpressionScope.Variable] {
        var variables: [String: ExpressionScope.Variable] = [:]
        for (offset, variable) in allCases.enumerated() {
            variables[variable.rawValue] = .init(type: .date, slot: kpiCount + offset)
        }
        return variables
    }

    /// Snapshots and `all` have no start: every record up to the date counts.
    static func values(of period: Period, kind: PeriodKind) -> [Value] {
        let open = kind == .snapshot || kind == .all
        return [open ? .null : .date(period.start), .date(period.end)]
    }
}
