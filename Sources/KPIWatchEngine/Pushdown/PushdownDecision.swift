import KPIWatchCore

/// For one KPI over one dataset: the statement that computes it in the database, or why it is
/// computed in process.
public struct PushdownDecision: Sendable {
    public var kpi: String
    /// The statement, when pushed down.
    public var sql: String?
    /// Why not, when evaluated in process.
    public var reason: String?

    package init(kpi: String, sql: String?, reason: String?) {
        self.kpi = kpi
        self.sql = sql
        self.reason = reason
    }
}

/// `kpiwatch check --explain-plan` for one dataset.
public struct DatasetPlanExplanation: Sendable {
    public var dataset: String
    public var origin: String
    public var decisions: [PushdownDecision]
    /// Why nothing of the dataset could be planned (the source cannot be opened), if so: every error, each
    /// rendered on its own line.
    public var problems: [Diagnostic] = []
    /// For each KPI evaluated in process, by id: how (`ColumnarPlan`), and why not columnar when it is not.
    public var inProcess: [String: String] = [:]

    public var text: String {
        var lines = ["dataset \(dataset) (\(origin))"]
        for problem in problems { lines.append("  \(problem)") }
        for decision in decisions {
            if let sql = decision.sql {
                lines.append("  \(decision.kpi): pushed down")
                lines.append(contentsOf: sql.split(separator: "\n").map { "    " + $0 })
            } else {
                lines.append("  \(decision.kpi): in process: \(decision.reason ?? "")")
                if let how = inProcess[decision.kpi] { lines.append("    " + how) }
            }
        }
        return lines.joined(separator: "\n")
    }
}
