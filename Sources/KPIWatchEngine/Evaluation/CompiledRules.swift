import KPIWatchCore
import KPIWatchExpressions

/// A dataset's fields as expressions see them: the slot of each field in a record.
package struct DatasetSchema: Sendable {
    package var config: DatasetConfig
    package var index: [String: Int]

    package init(_ config: DatasetConfig) {
        self.config = config
        var index: [String: Int] = [:]
        for (position, field) in config.fields.enumerated() { index[field.name] = position }
        self.index = index
    }

    package var scopeFields: [String: ExpressionScope.Field] {
        var fields: [String: ExpressionScope.Field] = [:]
        for (position, field) in config.fields.enumerated() {
            fields[field.name] = .init(type: field.type, index: position, personal: field.personal)
        }
        return fields
    }

    package var personalFields: Set<String> { Set(config.fields.filter(\.personal).map(\.name)) }

    /// Every forecast of the project, as `breach_probability("ID")` finds it from a rule over this dataset.
    package var forecasts: [String: ExpressionScope.ForecastReference] = [:]
}

/// A message or label template, its placeholders compiled.
package struct CompiledTemplate: Sendable {
    package enum Part: Sendable {
        case literal(String)
        /// A name with a meaning of its own in KPI messages (`value`, `period`, `benchmark.NAME`, …).
        case special(String)
        /// A number it yields is written as `MessageNumber` says (`12,345` or `2024`).
        case expression(CompiledExpression, MessageNumber)
    }

    package var parts: [Part]
    package var text: String
}

/// The threshold variables of a KPI, in the order of their context slots; group fields follow.
package enum ThresholdVariable: String, CaseIterable, Sendable {
    case value, previous, change, count
    case minOfHistory = "min_of_history"
    case maxOfHistory = "max_of_history"
    case avgOfHistory = "avg_of_history"
    case trend

    package var type: ExprType { self == .count ? .int : .number }
}

package struct CompiledThreshold: Sendable {
    package var severity: Severity
    package var condition: CompiledExpression
}

/// A KPI ready to run: every expression compiled against its dataset.
package struct CompiledKPI: Sendable {
    package var rule: KPIRule
    /// Position in `CompiledRules.kpis`, which is also its slot for `kpi.ID` references.
    package var slot: Int
    package var dataset: String?
    package var whereClause: CompiledExpression?
    package var date: CompiledExpression?
    package var groupFields: [String]
    package var groupIndexes: [Int]
    package var value: CompiledExpression
    package var aggregates: [AggregateCall]
    /// The slots of the KPIs its value references (`kpi.ID`), resolved once when the rules load.
    package var referenceSlots: [Int]
    package var thresholds: [CompiledThreshold]
    package var message: CompiledTemplate?
    /// Whether a snapshot's `as_of` changes per period, so record expressions run once per period.
    package var evaluatesPerPeriod: Bool { rule.period == .snapshot && rule.history > 1 }
}

package struct CompiledCaseAlert: Sendable {
    package var rule: CaseAlertRule
    package var whereClause: CompiledExpression
    package var key: CompiledExpression
    package var labels: [(String, CompiledTemplate)]
    package var message: CompiledTemplate?
}

/// Every rule of a project, compiled and in dependency order.
public struct CompiledRules: Sendable {
    package var schemas: [String: DatasetSchema]
    /// Topologically ordered: a KPI comes after every KPI it references.
    package var kpis: [CompiledKPI]
    package var caseAlerts: [CompiledCaseAlert]
    package var benchmarks: [String: Benchmark]
    package var order: [Int]
    /// By slot (`EvalContext.forecasts`).
    package var forecasts: [CompiledForecast] = []

    public var kpiIDs: [String] { kpis.map(\.rule.id) }
    public var caseAlertIDs: [String] { caseAlerts.map(\.rule.id) }
}

/// The period being computed, visible in a KPI's `value` (e.g. to project a year from its part):
/// their slots follow the KPI slots.
package enum PeriodVariable: String, CaseIterable, Sendable {
    case periodStart = "period_start"
    case periodEnd = "period_end"

    package static func scope(after kpiCount: Int) -> [String: ExpressionScope.Variable] {
        var variables: [String: ExpressionScope.Variable] = [:]
        for (offset, variable) in allCases.enumerated() {
            variables[variable.rawValue] = .init(type: .date, slot: kpiCount + offset)
        }
        return variables
    }

    /// Snapshots and `all` have no start: every record up to the date counts.
    package static func values(of period: Period, kind: PeriodKind) -> [Value] {
        let open = kind == .snapshot || kind == .all
        return [open ? .null : .date(period.start), .date(period.end)]
    }
}
