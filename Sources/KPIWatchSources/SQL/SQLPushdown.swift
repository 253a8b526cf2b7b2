import KPIWatchCore
import KPIWatchEngine
import KPIWatchExpressions

extension AggregatingSource {
    /// Profiles the dataset, plans one statement per KPI (`PushdownPlanner`), and runs each when the engine asks.
    package func planPushdown(_ request: PushdownRequest) throws -> any PushdownSession {
        let dataset = request.dataset
        let columns = try DatasetReader(dataset: dataset, source: self).resolveColumns()
        let mapping = SQLFieldMapping(
            dataset: dataset, dialect: dialect, query: query, columns: columns, types: try columnTypes())
        var profile: DatasetProfile?
        var refusal = mapping.refusal
        if refusal == nil {
            do {
                let rows = try aggregate(DatasetProfile.query(for: mapping))
                profile = DatasetProfile(rows.first ?? [], mapping: mapping)
            } catch {
                refusal = "the database could not profile the dataset: \(error)"
            }
        }
        var session = SQLPushdownSession(source: self, kpis: request.kpis, calendar: request.calendar)
        session.rowsRead = profile?.rows
        if let refusal {
            session.decisions = request.kpis.map { PushdownDecision(kpi: $0.rule.id, sql: nil, reason: refusal) }
            session.plans = request.kpis.map { _ in nil }
            return session
        }
        let planner = PushdownPlanner(
            mapping: mapping, profile: profile, calendar: request.calendar, benchmarks: request.benchmarks)
        let decided = request.kpis.map(planner.decide)
        session.decisions = decided.map(\.decision)
        session.plans = decided.map(\.plan)
        return session
    }
}

/// The statements planned for one dataset's KPIs, run one at a time; their rows become the engine's buckets.
struct SQLPushdownSession: PushdownSession {
    let source: any AggregatingSource
    let kpis: [CompiledKPI]
    let calendar: PeriodCalendar
    var rowsRead: Int?
    var decisions: [PushdownDecision] = []
    var plans: [PushdownPlan?] = []

    func compute(_ index: Int) throws -> [AggregateBucket] {
        guard let plan = plans[index] else { throw SQLSourceError("no statement was planned for this KPI") }
        let rows = try source.aggregate(PushdownQuery(sql: plan.sql))
        return try Self.buckets(kpis[index], plan, rows, calendar: calendar)
    }

    /// Each row of a pushed-down statement as a bucket, checked against the statement's shape.
    static func buckets(_ kpi: CompiledKPI, _ plan: PushdownPlan, _ rows: [PushdownRow], calendar: PeriodCalendar)
        throws -> [AggregateBucket]
    {
        let periods = KPIFinalizer.plan(for: kpi, calendar: calendar).periods.count
        let groupCount = plan.groupTypes.count
        let width = 3 + groupCount + plan.outputs.reduce(0) { $0 + $1.columnCount }
        return try rows.map { row in
            guard row.count == width, case .int(let grouped) = value(row[0], as: .int),
                case .int(let period) = value(row[1], as: .int), (0..<periods).contains(period)
            else { throw SQLSourceError("the database returned a row of an unexpected shape") }
            var accumulators: [Accumulator] = []
            var column = 3 + groupCount
            for output in plan.outputs {
                accumulators.append(try accumulator(output, Array(row[column..<column + output.columnCount])))
                column += output.columnCount
            }
            let group =
                grouped == 0
                ? nil : plan.groupTypes.enumerated().map { value(row[2 + $0], as: ExprType($1)) }
            return AggregateBucket(
                period: period, group: group,
                records: try count(row[2 + groupCount]),
                accumulators: accumulators)
        }
    }

    private static func accumulator(_ output: PushdownPlan.Output, _ cells: [Cell]) throws -> Accumulator {
        // Only these outputs' first cell is a count; the others' is a value (a sum, a minimum, ...).
        switch output {
        case .count: return .count(try Self.count(cells[0]))
        case .hits: return .percent(hits: try Self.count(cells[0]))
        case .distinct: return .fixed(.int(try Self.count(cells[0])))
        case .sum(let integral):
            let total = value(cells[0], as: integral ? .int : .number)
            return .fixed(total.isNull ? (integral ? .int(0) : .number(0)) : total)
        case .average:
            let values = try Self.count(cells[1])
            return .average(total: value(cells[0], as: .number).double ?? 0, count: values)
        case .extreme(let type, let isMin):
            return .extreme(value(cells[0], as: type == .null ? .int : type), isMin: isMin)
        case .number: return .fixed(value(cells[0], as: .number))
        }
    }

    /// A count the database returned; none is 0. One that is not a whole number kpiwatch can hold (a count
    /// near Int.max went through Double and trapped) is an error, and the KPI is evaluated in process instead.
    package static func count(_ cell: Cell) throws -> Int {
        if case .missing = cell { return 0 }
        guard case .int(let count) = value(cell, as: .int) else {
            throw SQLSourceError("the database returned a count that is not a whole number from 0 to \(Int.max)")
        }
        guard count >= 0 else { throw SQLSourceError("the database returned a negative count (\(count))") }
        return count
    }

    /// A database cell as a value of a kpiwatch type (SQLite's dates are ISO text, its bools 0 or 1).
    package static func value(_ cell: Cell, as type: ExprType) -> Value {
        switch (cell, type) {
        case (.missing, _): return .null
        case (.int(let number), .number): return .number(Double(number))
        case (.int(let number), .bool): return .bool(number != 0)
        case (.int(let number), _): return .int(number)
        case (.number(let number), .int): return NumberMath.integer(number).map(Value.int) ?? .null
        case (.number(let number), _): return .number(number)
        case (.bool(let truth), _): return .bool(truth)
        case (.date(let day), .string): return .string(day.iso)
        case (.date(let day), _): return .date(day)
        case (.text(let text), .date): return Day(iso: text.prefix(10)).map(Value.date) ?? .null
        case (.text(let text), .int):
            return Int(text).map(Value.int) ?? Double(text).flatMap(NumberMath.integer).map(Value.int) ?? .null
        case (.text(let text), .number): return Double(text).map(Value.number) ?? .null
        case (.text(let text), .bool): return .bool(["t", "true", "1"].contains(text.lowercased()))
        case (.text(let text), _): return .string(text)
        }
    }
}
