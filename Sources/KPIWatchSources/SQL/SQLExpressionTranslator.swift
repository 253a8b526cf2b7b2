import KPIWatchCore
import KPIWatchEngine
import KPIWatchExpressions

/// Why a KPI is evaluated in process rather than in the database, in the user's words.
package struct PushdownRefusal: Error, Sendable {
    package var reason: String

    package init(_ reason: String) {
        self.reason = reason
    }
}

/// A translated expression: SQL text and the kpiwatch type of its value.
package struct SQLFragment {
    package var sql: String
    package var type: ExprType
}

/// Translates a record expression's typed form (`TypedRecordExpression`, the form the columnar evaluator runs) into
/// SQL that computes exactly what the row evaluator computes, or refuses. kpiwatch's comparisons are false (not
/// null) when a side is null, `/` is real division that gives null on zero, and strings order by their UTF-8 bytes.
package struct SQLExpressionTranslator {
    package struct Field {
        package var sql: String
        package var type: FieldType
    }

    package let dialect: SQLDialect
    package let fields: [String: Field]
    /// `as_of`: the run's date, or the period's own (`p.p_as_of`) for snapshots with history.
    package let asOf: String
    package let benchmarks: [String: Value]
    /// String fields whose values are all ASCII, so that case and white-space functions agree.
    package let asciiFields: Set<String>
    /// The fields as the typed form numbers them (its `.field(index:)`), by name.
    private let names: [String]
    private let scope: [String: ExpressionScope.Field]

    package init(
        dialect: SQLDialect, fields: [String: Field], asOf: String, benchmarks: [String: Value],
        asciiFields: Set<String>
    ) {
        self.dialect = dialect
        self.fields = fields
        self.asOf = asOf
        self.benchmarks = benchmarks
        self.asciiFields = asciiFields
        names = fields.keys.sorted()
        scope = Dictionary(
            uniqueKeysWithValues: names.enumerated().map {
                ($1, ExpressionScope.Field(type: fields[$1]!.type, index: $0))
            })
    }

    /// A checked record expression, through its typed form; refused with the typed form's reason when it has none.
    package func translate(_ node: ExprNode) throws(PushdownRefusal) -> SQLFragment {
        let typed: TypedRecordExpression
        do throws(TypedRecordExpression.Refusal) {
            typed = try TypedRecordExpression.lower(node, fields: scope, benchmarks: benchmarks)
        } catch {
            throw PushdownRefusal(error.reason)
        }
        return try translate(typed)
    }

    package func translate(_ e: TypedRecordExpression) throws(PushdownRefusal) -> SQLFragment {
        switch e {
        case .field(let index, let type): return SQLFragment(sql: fields[names[index]]!.sql, type: type)
        case .asOf: return SQLFragment(sql: asOf, type: .date)
        case .constant(let value, let type): return SQLFragment(sql: dialect.literal(value), type: type)
        case .negate(let operand, let type):
            return SQLFragment(sql: "(-(\(try translate(operand).sql)))", type: type)
        case .not(let operand): return SQLFragment(sql: "(NOT (\(try translate(operand).sql)))", type: .bool)
        case .and(let a, let b):
            return SQLFragment(sql: "((\(try translate(a).sql)) AND (\(try translate(b).sql)))", type: .bool)
        case .or(let a, let b):
            return SQLFragment(sql: "((\(try translate(a).sql)) OR (\(try translate(b).sql)))", type: .bool)
        case .isNull(let operand, let negated):
            return SQLFragment(sql: "((\(try translate(operand).sql)) IS \(negated ? "NOT " : "")NULL)", type: .bool)
        case .compare(let op, let a, let b): return try compare(op, try translate(a), try translate(b))
        case .inList(let operand, let items, let negated): return inList(try translate(operand), items, negated)
        case .arithmetic(let op, let a, let b, let type):
            return arithmetic(op, try translate(a), try translate(b), type: type)
        case .daysBetween(let a, let b):
            return SQLFragment(sql: dialect.daysBetween(try translate(a).sql, try translate(b).sql), type: .int)
        case .weeksBetween(let a, let b):
            // Integer division truncates toward zero in both databases, as kpiwatch does.
            let days = dialect.daysBetween(try translate(a).sql, try translate(b).sql)
            return SQLFragment(sql: "(\(days) / 7)", type: .int)
        case .addDays(let a, let b, let days):
            let (day, count) = (try translate(a).sql, try translate(b).sql)
            return SQLFragment(sql: dialect.addDays(day, days == 1 ? count : "(\(count)) * \(days)"), type: .date)
        case .addMonths(let a, let b):
            return SQLFragment(sql: dialect.addMonths(try translate(a).sql, try translate(b).sql), type: .date)
        case .lower(let a): return try caseFolded(.lower, a)
        case .upper(let a): return try caseFolded(.upper, a)
        case .trim(let a):
            let text = try translate(a).sql
            try requireASCII([a], .trim)
            return SQLFragment(sql: dialect.trim(text, characters: dialect.asciiWhitespace), type: .string)
        case .coalesce(let items, let type):
            var parts: [String] = []
            for item in items { parts.append(widened(try translate(item), to: type)) }
            return SQLFragment(sql: "COALESCE(\(parts.joined(separator: ", ")))", type: type)
        case .function(let function, let operands, let type): return try call(function, operands, type: type)
        }
    }

    /// An int operand of an expression whose type is number, as a real.
    private func widened(_ fragment: SQLFragment, to type: ExprType) -> String {
        type == .number && fragment.type != .number ? dialect.toReal(fragment.sql) : fragment.sql
    }

    private func arithmetic(_ op: BinaryOperator, _ a: SQLFragment, _ b: SQLFragment, type: ExprType) -> SQLFragment {
        if op == .divide {
            return SQLFragment(sql: "(\(dialect.toReal(a.sql)) / NULLIF(\(dialect.toReal(b.sql)), 0))", type: .number)
        }
        let symbol = op.rawValue
        if type == .int { return SQLFragment(sql: "((\(a.sql)) \(symbol) (\(b.sql)))", type: .int) }
        return SQLFragment(sql: "(\(dialect.toReal(a.sql)) \(symbol) \(dialect.toReal(b.sql)))", type: .number)
    }

    private func compare(_ op: BinaryOperator, _ a: SQLFragment, _ b: SQLFragment) throws(PushdownRefusal)
        -> SQLFragment
    {
        let symbols: [BinaryOperator: String] = [
            .equal: "=", .notEqual: "<>", .less: "<", .lessOrEqual: "<=", .greater: ">", .greaterOrEqual: ">=",
        ]
        guard let symbol = symbols[op] else { throw PushdownRefusal("'\(op.rawValue)' is not a comparison") }
        var left = a.sql
        if a.type == .string && op != .equal && op != .notEqual { left = dialect.byteOrdered("(\(left))") }
        return SQLFragment(sql: "COALESCE((\(left)) \(symbol) (\(b.sql)), FALSE)", type: .bool)
    }

    private func inList(_ value: SQLFragment, _ items: [Value], _ negated: Bool) -> SQLFragment {
        if items.isEmpty {
            return SQLFragment(sql: negated ? "((\(value.sql)) IS NOT NULL)" : "FALSE", type: .bool)
        }
        let list = items.map(dialect.literal).joined(separator: ", ")
        return SQLFragment(sql: "COALESCE((\(value.sql)) \(negated ? "NOT IN" : "IN") (\(list)), FALSE)", type: .bool)
    }

    private func caseFolded(_ function: ScalarFunction, _ operand: TypedRecordExpression) throws(PushdownRefusal)
        -> SQLFragment
    {
        let sql = try translate(operand).sql
        try requireASCII([operand], function)
        let text = dialect == .sqlite ? sql : "(\(sql)) COLLATE \"C\""
        return SQLFragment(sql: "\(function.rawValue)(\(text))", type: .string)
    }

    // MARK: functions

    private func call(_ function: ScalarFunction, _ operands: [TypedRecordExpression], type: ExprType)
        throws(PushdownRefusal) -> SQLFragment
    {
        var arguments: [SQLFragment] = []
        for operand in operands { arguments.append(try translate(operand)) }
        let a = arguments.map(\.sql)
        let name = function.rawValue
        let sqlite = dialect == .sqlite
        switch function {
        case .monthsBetween: return SQLFragment(sql: dialect.monthsBetween(a[0], a[1]), type: .int)
        case .age: return SQLFragment(sql: "(\(dialect.monthsBetween(a[0], a[1])) / 12)", type: .int)
        case .year: return SQLFragment(sql: dialect.year(a[0]), type: .int)
        case .month: return SQLFragment(sql: dialect.month(a[0]), type: .int)
        case .startOfMonth: return SQLFragment(sql: dialect.startOfMonth(a[0]), type: .date)
        case .endOfMonth: return SQLFragment(sql: dialect.endOfMonth(a[0]), type: .date)
        case .isWeekend: return SQLFragment(sql: dialect.isWeekend(a[0]), type: .bool)
        case .if:
            let (yes, no) = (widened(arguments[1], to: type), widened(arguments[2], to: type))
            return SQLFragment(sql: "(CASE WHEN (\(a[0])) THEN \(yes) ELSE \(no) END)", type: type)
        case .contains:
            try requireASCII(operands, function)
            let position = sqlite ? "instr(\(a[0]), \(a[1]))" : "strpos(\(a[0]), \(a[1]))"
            return SQLFragment(sql: "(\(position) > 0)", type: .bool)
        case .startsWith:
            try requireASCII(operands, function)
            return SQLFragment(sql: "(substr(\(a[0]), 1, length(\(a[1]))) = (\(a[1])))", type: .bool)
        case .abs: return SQLFragment(sql: "abs(\(a[0]))", type: type)
        case .floor, .ceil:
            if arguments[0].type != .number { return SQLFragment(sql: a[0], type: .int) }
            if sqlite { throw PushdownRefusal("\(name) on SQLite is evaluated in process") }
            return SQLFragment(sql: "CAST(\(name)(\(a[0])) AS BIGINT)", type: .int)
        case .round:
            if sqlite {
                throw PushdownRefusal("round on SQLite rounds the binary value, not the decimal one kpiwatch rounds")
            }
            let places = a.count > 1 ? "CAST(\(a[1]) AS INTEGER)" : "0"
            // Through text, whose shortest round-trip digits are the decimal kpiwatch rounds.
            let sql = "CAST(round(CAST(CAST(\(a[0]) AS TEXT) AS NUMERIC), \(places)) AS DOUBLE PRECISION)"
            return SQLFragment(sql: sql, type: .number)
        case .minOf, .maxOf:
            if sqlite { throw PushdownRefusal("\(name) on SQLite does not skip nulls") }
            if type == .string { try requireASCII(operands, function) }
            let parts = arguments.map { widened($0, to: type) }
            let sql = "\(function == .minOf ? "LEAST" : "GREATEST")(\(parts.joined(separator: ", ")))"
            return SQLFragment(sql: sql, type: type)
        case .date:
            // The typed form keeps date(…) only of text that is not a constant date.
            throw PushdownRefusal("date(…) of a text field is evaluated in process")
        case .daysBetween, .weeksBetween, .addDays, .addWeeks, .addMonths, .lower, .upper, .trim, .coalesce:
            throw PushdownRefusal("\(name)(…) has a form of its own in the typed expression")
        }
    }

    /// Case folding and white space differ between Swift and SQL beyond ASCII, so these
    /// functions are pushed down only over fields whose every value is ASCII.
    private func requireASCII(_ operands: [TypedRecordExpression], _ function: ScalarFunction)
        throws(PushdownRefusal)
    {
        for operand in operands {
            for name in textFields(in: operand) where !asciiFields.contains(name) {
                throw PushdownRefusal(
                    "\(function.rawValue)(…) is exact in SQL only on ASCII text, "
                        + "and field '\(name)' holds other characters")
            }
            for text in Self.strings(in: operand) where !text.utf8.allSatisfy({ $0 < 128 }) {
                throw PushdownRefusal("\(function.rawValue)(…) is exact in SQL only on ASCII text")
            }
        }
    }

    /// The string fields an expression reads, left to right.
    private func textFields(in e: TypedRecordExpression) -> [String] {
        if case .field(let index, .string) = e { return [names[index]] }
        return e.operands.flatMap { textFields(in: $0) }
    }

    /// The text constants of an expression, in `in` lists too.
    private static func strings(in e: TypedRecordExpression) -> [String] {
        switch e {
        case .constant(.string(let text), _): return [text]
        case .inList(let operand, let items, _):
            return strings(in: operand) + items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: return e.operands.flatMap { strings(in: $0) }
        }
    }
}
