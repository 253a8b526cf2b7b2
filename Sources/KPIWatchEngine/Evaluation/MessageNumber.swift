import KPIWatchExpressions

/// How a placeholder's number is written into a message: as an amount ("12,345 days") or as a name ("2024",
/// "100234"). Every number in a message is an amount, with thousands separators as `{value}` and `{count}` have,
/// except the few that name something, which a separator would garble ("2,024", "case 100,234").
///
/// The expression's type cannot tell them apart: `year(d)` is an `int` like `days_between(a, b)`, and a numeric
/// case id is an `int` field like a count (the typed form, `TypedRecordExpression`, keeps `year` as a function only
/// for record expressions, and knows nothing of keys). So it is decided once, when the rules load, from what the
/// placeholder says: a calendar year computed from a date, or a field that identifies a record.
package enum MessageNumber: Sendable {
    case amount
    case name

    /// `year(d)`, `year(d) - 1`, `coalesce(year(a), year(b))` or `if(c, year(a), year(b))` is a year: a name. A difference of two years
    /// (`year(a) - year(b)`) is an amount of years. `identifiers`: the fields that identify a record (a dataset's
    /// `key: true` fields and the case alert's own key); a placeholder that is one of them alone is a name. Any
    /// other numeric field is an amount: the rules cannot tell a year column from a count, and a column that holds
    /// codes rather than amounts reads as written when it is declared `type: string`.
    package static func of(_ placeholder: ExprNode, identifiers: Set<String>) -> MessageNumber {
        if case .name(let field) = placeholder.kind, identifiers.contains(field) { return .name }
        return isCalendarYear(placeholder) ? .name : .amount
    }

    private static func isCalendarYear(_ node: ExprNode) -> Bool {
        switch node.kind {
        case .call(let name, let arguments):
            // A function that picks one of its arguments gives a year when every one it may pick is a year.
            let picked: ArraySlice<ExprNode>
            switch ScalarFunction(rawValue: name) {
            case .year: return true
            case .coalesce, .minOf, .maxOf: picked = arguments[...]
            case .if: picked = arguments.dropFirst()
            default: return false
            }
            return picked.contains(where: isCalendarYear)
                && picked.allSatisfy { isCalendarYear($0) || $0.kind == .literal(.null) }
        case .binary(.add, let left, let right): return isCalendarYear(left) != isCalendarYear(right)
        case .binary(.subtract, let left, let right): return isCalendarYear(left) && !isCalendarYear(right)
        default: return false
        }
    }
}
