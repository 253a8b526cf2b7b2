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

/// Translates a record expression's AST into SQL that computes exactly what the closure
/// compiler computes, or refuses. kpiwatch's comparisons are false (not null) when a side is
/// null, `/` is real division that gives null on zero, and strings order by their UTF-8 bytes.
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

    package func translate(_ node: ExprNode) throws(PushdownRefusal) -> SQLFragment {
        switch node.kind {
        case .literal(let value):
            return SQLFragment(sql: dialect.literal(value), type: ExprType(of: value))
        case .name(let name):
            return try resolve(name)
        case .negate(let operand):
            let inner = try translate(operand)
            return SQLFragment(sql: "(-(\(inner.sql)))", type: inner.type == .null ? .int : inner.type)
        case .not(let operand):
            return SQLFragment(sql: "(NOT (\(try translate(operand).sql)))", type: .bool)
        case .binary(let op, let left, let right):
            return try binary(op, try translate(left), try translate(right))
        case .inList(let operand, let items, let negated):
            return try inList(operand, items, negated: negated)
        case .isNull(let operand, let negated):
            return SQLFragment(sql: "((\(try translate(operand).sql)) IS \(negated ? "NOT " : "")NULL)", type: .bool)
        case .call(let name, let arguments):
            return try call(name, arguments)
        }
    }

    private func resolve(_ name: String) throws(PushdownRefusal) -> SQLFragment {
        if name == "as_of" { return SQLFragment(sql: asOf, type: .date) }
        if let field = fields[name] { return SQLFragment(sql: field.sql, type: ExprType(field.type)) }
        if name.hasPrefix("benchmark."), let value = benchmarks[String(name.dropFirst(10))] {
            return SQLFragment(sql: dialect.literal(value), type: ExprType(of: value))
        }
        throw PushdownRefusal("'\(name)' is not a field of the record")
    }

    private func binary(_ op: BinaryOperator, _ a: SQLFragment, _ b: SQLFragment) throws(PushdownRefusal)
        -> SQLFragment
    {
        switch op {
        case .and: return SQLFragment(sql: "((\(a.sql)) AND (\(b.sql)))", type: .bool)
        case .or: return SQLFragment(sql: "((\(a.sql)) OR (\(b.sql)))", type: .bool)
        case .divide:
            let sql = "(\(dialect.toReal(a.sql)) / NULLIF(\(dialect.toReal(b.sql)), 0))"
            return SQLFragment(sql: sql, type: .number)
        case .add, .subtract, .multiply:
            let symbol = op.rawValue
            if a.type != .number && b.type != .number {
                return SQLFragment(sql: "((\(a.sql)) \(symbol) (\(b.sql)))", type: .int)
            }
            return SQLFragment(sql: "(\(dialect.toReal(a.sql)) \(symbol) \(dialect.toReal(b.sql)))", type: .number)
        default:
            let symbols: [BinaryOperator: String] = [
                .equal: "=", .notEqual: "<>", .less: "<", .lessOrEqual: "<=", .greater: ">", .greaterOrEqual: ">=",
            ]
            var left = a.sql
            if a.type == .string && op != .equal && op != .notEqual { left = dialect.byteOrdered("(\(left))") }
            return SQLFragment(sql: "COALESCE((\(left)) \(symbols[op]!) (\(b.sql)), FALSE)", type: .bool)
        }
    }

    private func inList(_ operand: ExprNode, _ items: [ExprNode], negated: Bool) throws(PushdownRefusal)
        -> SQLFragment
    {
        let value = try translate(operand)
        var literals: [String] = []
        for item in items {
            if case .name(let name) = item.kind, name.hasPrefix("benchmark."),
                let codes = BenchmarkList.items(String(name.dropFirst(10)), in: benchmarks)
            {
                literals += codes.map(dialect.literal)
                continue
            }
            guard case .literal(let literal) = item.kind else {
                throw PushdownRefusal("'in' with a list of expressions is evaluated in process")
            }
            literals.append(dialect.literal(literal))
        }
        if literals.isEmpty {
            return SQLFragment(sql: negated ? "((\(value.sql)) IS NOT NULL)" : "FALSE", type: .bool)
        }
        let list = literals.joined(separator: ", ")
        return SQLFragment(sql: "COALESCE((\(value.sql)) \(negated ? "NOT IN" : "IN") (\(list)), FALSE)", type: .bool)
    }

    // MARK: functions

    private func call(_ name: String, _ nodes: [ExprNode]) throws(PushdownRefusal) -> SQLFragment {
        guard let function = ScalarFunction(rawValue: name) else {
            throw PushdownRefusal("\(name)(…) cannot be used on a record")
        }
        var arguments: [SQLFragment] = []
        for node in nodes { arguments.append(try translate(node)) }
        let a = arguments.map(\.sql)
        let sqlite = dialect == .sqlite
        switch function {
        case .daysBetween:
            return SQLFragment(sql: dialect.daysBetween(a[0], a[1]), type: .int)
        case .weeksBetween:
            // Integer division truncates toward zero in both databases, as kpiwatch does.
            return SQLFragment(sql: "(\(dialect.daysBetween(a[0], a[1])) / 7)", type: .int)
        case .monthsBetween:
            return SQLFragment(sql: dialect.monthsBetween(a[0], a[1]), type: .int)
        case .age:
            return SQLFragment(sql: "(\(dialect.monthsBetween(a[0], a[1])) / 12)", type: .int)
        case .addDays:
            return SQLFragment(sql: dialect.addDays(a[0], a[1]), type: .date)
        case .addWeeks:
            return SQLFragment(sql: dialect.addDays(a[0], "(\(a[1])) * 7"), type: .date)
        case .addMonths:
            return SQLFragment(sql: dialect.addMonths(a[0], a[1]), type: .date)
        case .year: return SQLFragment(sql: dialect.year(a[0]), type: .int)
        case .month: return SQLFragment(sql: dialect.month(a[0]), type: .int)
        case .startOfMonth: return SQLFragment(sql: dialect.startOfMonth(a[0]), type: .date)
        case .endOfMonth: return SQLFragment(sql: dialect.endOfMonth(a[0]), type: .date)
        case .isWeekend: return SQLFragment(sql: dialect.isWeekend(a[0]), type: .bool)
        case .coalesce:
            let type = ExprType.unify(arguments.map(\.type)) ?? .null
            let parts = arguments.map { type == .number && $0.type != .number ? dialect.toReal($0.sql) : $0.sql }
            return SQLFragment(sql: "COALESCE(\(parts.joined(separator: ", ")))", type: type)
        case .if:
            let type = ExprType.unify([arguments[1].type, arguments[2].type]) ?? .null
            let yes = type == .number && arguments[1].type != .number ? dialect.toReal(a[1]) : a[1]
            let no = type == .number && arguments[2].type != .number ? dialect.toReal(a[2]) : a[2]
            return SQLFragment(sql: "(CASE WHEN (\(a[0])) THEN \(yes) ELSE \(no) END)", type: type)
        case .lower, .upper:
            try requireASCII(nodes, function)
            let text = sqlite ? a[0] : "(\(a[0])) COLLATE \"C\""
            return SQLFragment(sql: "\(name)(\(text))", type: .string)
        case .trim:
            try requireASCII(nodes, function)
            return SQLFragment(sql: dialect.trim(a[0], characters: dialect.asciiWhitespace), type: .string)
        case .contains:
            try requireASCII(nodes, function)
            let position = sqlite ? "instr(\(a[0]), \(a[1]))" : "strpos(\(a[0]), \(a[1]))"
            return SQLFragment(sql: "(\(position) > 0)", type: .bool)
        case .startsWith:
            try requireASCII(nodes, function)
            return SQLFragment(sql: "(substr(\(a[0]), 1, length(\(a[1]))) = (\(a[1])))", type: .bool)
        case .abs:
            return SQLFragment(sql: "abs(\(a[0]))", type: arguments[0].type == .number ? .number : .int)
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
            let type = ExprType.unify(arguments.map(\.type)) ?? .null
            if type == .string { try requireASCII(nodes, function) }
            let parts = arguments.map { type == .number && $0.type != .number ? dialect.toReal($0.sql) : $0.sql }
            let sql = "\(function == .minOf ? "LEAST" : "GREATEST")(\(parts.joined(separator: ", ")))"
            return SQLFragment(sql: sql, type: type)
        case .date:
            if arguments[0].type == .date { return arguments[0] }
            guard case .literal(.string(let text)) = nodes[0].kind, let day = Day(iso: text) else {
                throw PushdownRefusal("date(…) of a text field is evaluated in process")
            }
            return SQLFragment(sql: dialect.date(day), type: .date)
        }
    }

    /// Case folding and white space differ between Swift and SQL beyond ASCII, so these
    /// functions are pushed down only over fields whose every value is ASCII.
    private func requireASCII(_ nodes: [ExprNode], _ function: ScalarFunction) throws(PushdownRefusal) {
        for node in nodes {
            for name in Self.names(in: node) where fields[name]?.type == .string && !asciiFields.contains(name) {
                throw PushdownRefusal(
                    "\(function.rawValue)(…) is exact in SQL only on ASCII text, "
                        + "and field '\(name)' holds other characters")
            }
            for text in Self.strings(in: node) where !text.utf8.allSatisfy({ $0 < 128 }) {
                throw PushdownRefusal("\(function.rawValue)(…) is exact in SQL only on ASCII text")
            }
        }
    }

    package static func names(in node: ExprNode) -> [String] {
        switch node.kind {
        case .literal: return []
        case .name(let name): return [name]
        case .negate(let x), .not(let x), .isNull(let x, _): return names(in: x)
        case .binary(_, let x, let y): return names(in: x) + names(in: y)
        case .inList(let x, let list, _): return names(in: x) + list.flatMap { names(in: $0) }
        case .call(_, let arguments): return arguments.flatMap { names(in: $0) }
        }
    }

    package static func strings(in node: ExprNode) -> [String] {
        switch node.kind {
        case .literal(.string(let text)): return [text]
        case .literal, .name: return []
        case .negate(let x), .not(let x), .isNull(let x, _): return strings(in: x)
        case .binary(_, let x, let y): return strings(in: x) + strings(in: y)
        case .inList(let x, let list, _): return strings(in: x) + list.flatMap { strings(in: $0) }
        case .call(_, let arguments): return arguments.flatMap { strings(in: $0) }
        }
    }
}
