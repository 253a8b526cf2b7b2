import KPIWatchCore
import KPIWatchEngine
import KPIWatchExpressions

/// Translates a KPI over a SQL dataset — its `where`, `date`, groups, aggregates and periods —
/// into one statement over `(<dataset query>) AS src` joined to a VALUES list of its periods,
/// grouped by period and group fields, with a UNION ALL for the overall value. Refuses whatever
/// it cannot translate with kpiwatch's exact semantics.
package struct PushdownPlanner {
    package let mapping: SQLFieldMapping
    package let profile: DatasetProfile?
    package let calendar: PeriodCalendar
    package let benchmarks: [String: Value]

    package var dialect: SQLDialect { mapping.dialect }

    /// The statement for `kpi`, or why it has none.
    package func decide(_ kpi: CompiledKPI) -> (decision: PushdownDecision, plan: PushdownPlan?) {
        do throws(PushdownRefusal) {
            let plan = try self.plan(kpi)
            return (PushdownDecision(kpi: kpi.rule.id, sql: plan.sql, reason: nil), plan)
        } catch {
            return (PushdownDecision(kpi: kpi.rule.id, sql: nil, reason: error.reason), nil)
        }
    }

    package func plan(_ kpi: CompiledKPI) throws(PushdownRefusal) -> PushdownPlan {
        if let refusal = mapping.refusal { throw PushdownRefusal(refusal) }
        if let profile, let (field, count) = profile.badValues.sorted(by: { $0.key < $1.key }).first {
            throw PushdownRefusal(
                "field '\(field)' has \(count) values that are not \(mapping.dataset.field(named: field)!.type); "
                    + "read in process so that each is reported")
        }
        let periodPlan = KPIFinalizer.plan(for: kpi, calendar: calendar)
        let translator = SQLExpressionTranslator(
            dialect: dialect, fields: mapping.fields,
            asOf: kpi.evaluatesPerPeriod ? "p.p_as_of" : dialect.date(calendar.asOf), benchmarks: benchmarks,
            asciiFields: profile?.asciiFields ?? [])

        var conditions: [String] = []
        if let text = kpi.rule.whereClause {
            conditions.append("(\(try translator.translate(try Self.parse(text)).sql))")
        }
        if let text = kpi.rule.date {
            let day = try translator.translate(try Self.parse(text)).sql
            if periodPlan.kind != .snapshot && periodPlan.kind != .all { conditions.append("(\(day)) >= p.p_start") }
            conditions.append("(\(day)) <= p.p_end")
            conditions.append("(\(day)) <= p.p_as_of")
        }

        var groupColumns: [String] = []
        var groupTypes: [FieldType] = []
        for (position, name) in kpi.groupFields.enumerated() {
            guard let field = mapping.fields[name] else { throw PushdownRefusal("unknown group field '\(name)'") }
            if field.type == .string, !(profile?.asciiFields.contains(name) ?? false) {
                throw PushdownRefusal(
                    "group field '\(name)' holds non-ASCII text, which Swift and SQL may tell apart differently")
            }
            groupColumns.append("\(field.sql) AS g\(position)")
            groupTypes.append(field.type)
        }

        let valueNode = try Self.parse(kpi.rule.value)
        let scalars = Array(kpi.rule.value.text.unicodeScalars)
        var argumentColumns: [String] = []
        var aggregates: [String] = []
        var outputs: [PushdownPlan.Output] = []
        for (position, call) in kpi.aggregates.enumerated() {
            let argument: SQLFragment?
            if call.argument != nil {
                guard let node = Self.aggregateNode(call.text, in: valueNode, scalars: scalars),
                    case .call(_, let arguments) = node.kind, let first = arguments.first
                else { throw PushdownRefusal("'\(call.text)' could not be found in the value") }
                argument = try translator.translate(first)
                argumentColumns.append("\(argument!.sql) AS a\(position)")
            } else {
                argument = nil
            }
            let column = "a\(position)"
            switch call.kind {
            case .count:
                aggregates.append(argument == nil ? "COUNT(*)" : "SUM(CASE WHEN \(column) THEN 1 ELSE 0 END)")
                outputs.append(.count)
            case .percent:
                aggregates.append("SUM(CASE WHEN \(column) THEN 1 ELSE 0 END)")
                outputs.append(.hits)
            case .sum:
                aggregates.append("SUM(\(column))")
                outputs.append(.sum(integral: call.argument?.type == .int))
            case .avg:
                aggregates.append("SUM(\(column))")
                aggregates.append("COUNT(\(column))")
                outputs.append(.average)
            case .min, .max:
                aggregates.append("\(call.kind == .min ? "MIN" : "MAX")(\(column))")
                outputs.append(.extreme(call.argument?.type ?? .number, isMin: call.kind == .min))
            case .median, .percentile:
                guard dialect == .postgres else {
                    throw PushdownRefusal("\(call.kind.rawValue) is evaluated in process on SQLite")
                }
                let fraction = (call.kind == .median ? 50 : call.parameter ?? 50) / 100
                aggregates.append("percentile_cont(\(fraction)) WITHIN GROUP (ORDER BY \(column))")
                outputs.append(.number)
            case .countDistinct:
                if argument?.type == .string, let referenced = call.argument?.referencedFields {
                    for name in referenced.sorted()
                    where mapping.fields[name]?.type == .string && !(profile?.asciiFields.contains(name) ?? false) {
                        throw PushdownRefusal(
                            "count_distinct over field '\(name)', which holds non-ASCII text, is evaluated in process")
                    }
                }
                aggregates.append("COUNT(DISTINCT \(column))")
                outputs.append(.distinct)
            }
        }

        let periods = periodPlan.periods.enumerated().map { index, period in
            let open = periodPlan.kind == .snapshot || periodPlan.kind == .all
            let start = open ? dialect.date(period.end) : dialect.date(period.start)
            return "(\(index), \(start), \(dialect.date(period.end)), \(dialect.date(period.asOf)))"
        }
        let groupNames = groupColumns.indices.map { "g\($0)" }
        let rowColumns = ["p.p_idx AS p_idx"] + groupColumns + argumentColumns
        let filter = conditions.isEmpty ? "" : "\n  WHERE " + conditions.joined(separator: "\n    AND ")
        let aggregateList = (["COUNT(*)"] + aggregates).joined(separator: ", ")
        var sql = """
            WITH src AS (\(mapping.query)),
            p (p_idx, p_start, p_end, p_as_of) AS (VALUES \(periods.joined(separator: ", "))),
            r AS (
              SELECT \(rowColumns.joined(separator: ", "))
              FROM src CROSS JOIN p\(filter)
            )

            """
        if !groupNames.isEmpty && dialect == .postgres {
            // One pass over the rows for the overall and the groups' values: a snapshot or rolling window joins each
            // record to many periods, and reading those joined rows twice (UNION ALL) doubled the statement's time.
            let names = groupNames.joined(separator: ", ")
            sql += """
                SELECT CASE WHEN GROUPING(\(names)) = 0 THEN 1 ELSE 0 END AS grouped, p_idx, \(names), \(aggregateList)
                FROM r GROUP BY GROUPING SETS ((p_idx), (p_idx, \(names)))
                """
            return PushdownPlan(sql: sql, groupTypes: groupTypes, outputs: outputs)
        }
        sql += """
            SELECT 0 AS grouped, p_idx\(groupNames.map { ", NULL AS \($0)" }.joined()), \(aggregateList)
            FROM r GROUP BY p_idx
            """
        if !groupNames.isEmpty {
            let names = groupNames.joined(separator: ", ")
            sql += "\nUNION ALL\nSELECT 1, p_idx, \(names), \(aggregateList)\nFROM r GROUP BY p_idx, \(names)"
        }
        return PushdownPlan(sql: sql, groupTypes: groupTypes, outputs: outputs)
    }

    package static func parse(_ text: LocatedText) throws(PushdownRefusal) -> ExprNode {
        do {
            return try ExpressionCompiler.parse(text)
        } catch {
            throw PushdownRefusal("'\(text.text)' does not parse")
        }
    }

    /// The call node written as `text` (aggregates are identified by their text, as the compiler does).
    package static func aggregateNode(_ text: String, in node: ExprNode, scalars: [Unicode.Scalar]) -> ExprNode? {
        if case .call = node.kind {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[node.range.clamped(to: 0..<scalars.count)])
            if String(view) == text { return node }
        }
        switch node.kind {
        case .literal, .name: return nil
        case .negate(let x), .not(let x), .isNull(let x, _): return aggregateNode(text, in: x, scalars: scalars)
        case .binary(_, let x, let y):
            return aggregateNode(text, in: x, scalars: scalars) ?? aggregateNode(text, in: y, scalars: scalars)
        case .inList(let x, let list, _):
            return aggregateNode(text, in: x, scalars: scalars)
                ?? list.lazy.compactMap { aggregateNode(text, in: $0, scalars: scalars) }.first
        case .call(_, let arguments):
            return arguments.lazy.compactMap { aggregateNode(text, in: $0, scalars: scalars) }.first
        }
    }
}
