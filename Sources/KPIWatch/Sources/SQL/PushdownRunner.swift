/// Plans every KPI of a dataset whose source is a database, runs the statements of those that
/// can be pushed down, and turns their rows into the buckets the in-process pass would have built.
struct PushdownRunner {
    let dataset: DatasetConfig
    let source: any AggregatingSource
    let calendar: PeriodCalendar
    let benchmarks: [String: Value]

    struct Outcome {
        /// By position in the KPIs given to `run`.
        var accumulations: [Int: KPIAccumulation] = [:]
        /// Pushdowns that failed at run time and were evaluated in process instead.
        var notes: [String] = []
        /// The dataset's row count, from the profile query.
        var rowsRead: Int?
    }

    /// The decision for each KPI, in order. Throws only when the source cannot be opened.
    func decisions(for kpis: [CompiledKPI]) throws -> (decisions: [PushdownDecision], profile: DatasetProfile?) {
        let columns = try DatasetReader(dataset: dataset, source: source).resolveColumns()
        let mapping = SQLFieldMapping(
            dataset: dataset, dialect: source.dialect, query: source.query, columns: columns,
            types: try source.columnTypes())
        var profile: DatasetProfile?
        var refusal = mapping.refusal
        if refusal == nil {
            do {
                let rows = try source.aggregate(DatasetProfile.query(for: mapping))
                profile = DatasetProfile(rows.first ?? [], mapping: mapping)
            } catch {
                refusal = "the database could not profile the dataset: \(error)"
            }
        }
        if let refusal {
            return (kpis.map { PushdownDecision(kpi: $0.rule.id, sql: nil, reason: refusal, plan: nil) }, profile)
        }
        let planner = PushdownPlanner(mapping: mapping, profile: profile, calendar: calendar, benchmarks: benchmarks)
        return (kpis.map(planner.decide), profile)
    }

    func run(_ kpis: [CompiledKPI]) -> Outcome {
        var outcome = Outcome()
        guard let (decisions, profile) = try? decisions(for: kpis) else { return outcome }
        outcome.rowsRead = profile?.rows
        for (index, decision) in decisions.enumerated() {
            guard let plan = decision.plan else { continue }
            do {
                let rows = try source.aggregate(PushdownQuery(sql: plan.sql))
                outcome.accumulations[index] = try Self.accumulation(kpis[index], plan, rows, calendar: calendar)
            } catch {
                outcome.notes.append(
                    "dataset '\(dataset.name)': KPI '\(decision.kpi)' could not be computed in the database "
                        + "(\(error)); it was evaluated in process instead")
            }
        }
        return outcome
    }

    static func accumulation(_ kpi: CompiledKPI, _ plan: PushdownPlan, _ rows: [PushdownRow], calendar: PeriodCalendar)
        throws -> KPIAccumulation
    {
        var accumulation = KPIAccumulation(kpi: kpi, plan: KPIFinalizer.plan(for: kpi, calendar: calendar))
        let periods = accumulation.plan.periods.count
        let groupCount = plan.groupTypes.count
        let width = 3 + groupCount + plan.outputs.reduce(0) { $0 + $1.columnCount }
        for row in rows {
            guard row.count == width, case .int(let grouped) = value(row[0], as: .int),
                case .int(let period) = value(row[1], as: .int), (0..<periods).contains(period)
            else { throw SQLSourceError("the database returned a row of an unexpected shape") }
            var bucket = Bucket(kpi.aggregates)
            bucket.records = try count(row[2 + groupCount])
            var column = 3 + groupCount
            for (position, output) in plan.outputs.enumerated() {
                bucket.accumulators[position] = try accumulator(
                    output, Array(row[column..<column + output.columnCount]))
                column += output.columnCount
            }
            if grouped == 0 {
                accumulation.overall[period] = bucket
            } else {
                let key = GroupKey(values: plan.groupTypes.enumerated().map { value(row[2 + $0], as: ExprType($1)) })
                accumulation.setBucket(bucket, period: period, group: key)
            }
        }
        return accumulation
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
    static func count(_ cell: Cell) throws -> Int {
        if case .missing = cell { return 0 }
        guard case .int(let count) = value(cell, as: .int) else {
            throw SQLSourceError("the database returned a count that is not a whole number from 0 to \(Int.max)")
        }
        guard count >= 0 else { throw SQLSourceError("the database returned a negative count (\(count))") }
        return count
    }

    /// A database cell as a value of a kpiwatch type (SQLite's dates are ISO text, its bools 0 or 1).
    static func value(_ cell: Cell, as type: ExprType) -> Value {
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
