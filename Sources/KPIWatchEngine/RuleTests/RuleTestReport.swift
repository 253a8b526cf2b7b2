import KPIWatchCore

/// The text `kpiwatch test` prints for one file: every failing test with each expectation that did not hold
/// (at its file:line:column), every test that could not run and why, and a count.
public enum RuleTestReport {
    public static func render(file: String, outcomes: [RuleTestOutcome]) -> String {
        var lines: [String] = []
        for outcome in outcomes where !outcome.passed {
            let verdict = outcome.errors.isEmpty ? "FAIL" : "ERROR"
            lines.append("\(verdict) \(outcome.location): \(outcome.test) (as of \(outcome.asOf.iso))")
            lines += outcome.failures.map { "  " + $0.description.replacingOccurrences(of: ": error: ", with: ": ") }
            lines += outcome.errors.map { "  " + $0 }
        }
        let passed = outcomes.filter(\.passed).count
        let failed = outcomes.filter { !$0.errors.isEmpty || !$0.failures.isEmpty }.count
        var summary = "\(file): \(passed) passed"
        if failed > 0 { summary += ", \(failed) did not pass" }
        if Set(outcomes.map(\.test)).count != outcomes.count { summary += " (one run per test and as-of date)" }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }
}
