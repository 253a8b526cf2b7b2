import KPIWatchCore
import KPIWatchExpressions

/// One KPI translated into a single SQL statement. Its rows are
/// `grouped, p_idx, <group fields>, records, <aggregate columns>`: `grouped` is 0 for the overall
/// value of period `p_idx` and 1 for a group's.
package struct PushdownPlan: Sendable {
    /// What the database returns for one aggregate, and how it becomes an `Accumulator`.
    package enum Output: Sendable {
        /// count() and count(cond): one integer.
        case count
        /// percent(cond): the records where cond holds; the percentage is taken in process.
        case hits
        /// sum(x): the total, or NULL for no values (which is 0).
        case sum(integral: Bool)
        /// avg(x): the total and the number of values, divided in process.
        case average
        /// min(x), max(x): the value, in the argument's type.
        case extreme(ExprType, isMin: Bool)
        /// median, percentile: the database's `percentile_cont`.
        case number
        /// count_distinct(x): one integer.
        case distinct

        package var columnCount: Int {
            if case .average = self { return 2 }
            return 1
        }
    }

    package var sql: String
    package var groupTypes: [FieldType]
    package var outputs: [Output]
}
