/// One KPI translated into a single SQL statement. Its rows are
/// `grouped, p_idx, <group fields>, records, <aggregate columns>`: `grouped` is 0 for the overall
/// value of period `p_idx` and 1 for a group's.
struct PushdownPlan: Sendable {
    /// What the database returns for one aggregate, and how it becomes an `Accumulator`.
    enum Output: Sendable {
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

        var columnCount: Int {
            if case .average = self { return 2 }
            return 1
        }
    }

    var sql: String
    var groupTypes: [FieldType]
    var outputs: [Output]
}

/// For one KPI over one dataset: the statement that computes it in the database, or why it is
/// computed in process.
public struct PushdownDecision: Sendable {
    public var kpi: String
    /// The statement, when pushed down.
    public var sql: String?
    /// Why not, when evaluated in process.
    public var reason: String?

    var plan: PushdownPlan?
}

/// `kpiwatch check --explain-plan` for one dataset.
public struct DatasetPlanExplanation: Sendable {
    public var dataset: String
    public var origin: String
    public var decisions: [PushdownDecision]
    /// Why nothing of the dataset could be planned (the source cannot be opened), if so.
    public var problem: String?

    public var text: String {
        var lines = ["dataset \(dataset) (\(origin))"]
        if let problem { lines.append("  \(problem)") }
        for decision in decisions {
            if let sql = decision.sql {
                lines.append("  \(decision.kpi): pushed down")
                lines.append(contentsOf: sql.split(separator: "\n").map { "    " + $0 })
            } else {
                lines.append("  \(decision.kpi): in process: \(decision.reason ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
