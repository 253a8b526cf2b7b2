import Foundation
import KPIWatchCore

extension ForecastRun {
    /// Replays both forecasts at every month end the history allows (from a year after the first case)
    /// and prints the tables docs/forecasts.md shows, in Markdown.
    package func backtest(extract: Day, runs: Int = 200) throws -> String {
        let model = try model(asOf: extract)
        let settings = forecast.rule.settings
        guard let first = model.cases.map(\.start).min() else {
            throw Diagnostic("forecast '\(forecast.rule.id)' has no cases to replay")
        }
        let from = first.adding(months: 12)
        let breach = BreachBacktest(
            cases: model.cases,
            asOfDays: BreachBacktest.monthEnds(from: from, extract: extract, deadlineDays: settings.deadlineDays),
            extract: extract, settings: settings)
        let workload = WorkloadBacktest(
            cases: model.cases, asOfDays: WorkloadBacktest.monthEnds(from: from, extract: extract), extract: extract,
            settings: settings, fte: try staffFTE(), runs: runs,
            seed: forecast.rule.workload?.seed ?? WorkloadRule.defaultSeed)
        return Self.render(breach, workload, deadlineDays: settings.deadlineDays)
    }

    static func render(_ breach: BreachBacktest, _ workload: WorkloadBacktest, deadlineDays: Int) -> String {
        func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
        func span(_ days: [Day]) -> String {
            guard let first = days.first, let last = days.last else { return "none" }
            return "\(days.count) month ends, \(first.iso) to \(last.iso)"
        }
        var out = "### Breach probability\n\n"
        out +=
            "Replays: \(span(breach.asOfDays)); \(breach.forecasts) forecasts of open cases inside their \(deadlineDays) days.\n\n"
        out += "| measure | value |\n|---|---|\n"
        out += "| Brier score | \(String(format: "%.4f", breach.brier)) |\n"
        out += "| base rate (share late) | \(percent(breach.baseRate)) |\n"
        out += "| Brier score of the base rate | \(String(format: "%.4f", breach.baseBrier)) |\n"
        out += "| Brier skill (goal ≥ 0.20) | \(String(format: "%.4f", breach.skill)) |\n"
        out += "| late cases | \(breach.lateCases) |\n"
        out +=
            "| late cases flagged (p ≥ \(breach.flagThreshold)) \(breach.leadDays / 7)+ weeks ahead | \(breach.lateFlaggedAhead) (\(percent(Double(breach.lateFlaggedAhead) / Double(max(breach.lateCases, 1))))) |\n"
        out +=
            "| flagged cases that were late | \(breach.flaggedThatWereLate) of \(breach.flaggedCases) (\(percent(Double(breach.flaggedThatWereLate) / Double(max(breach.flaggedCases, 1))))) |\n\n"
        out += "Calibration by decile (goal: every decile within 10 points):\n\n"
        out += "| p_breach | forecasts | mean predicted | observed late | gap (points) |\n|---|---|---|---|---|\n"
        for decile in breach.deciles {
            let gap = 100 * (decile.observed - decile.meanPredicted)
            out +=
                "| \(String(format: "%.1f–%.1f", decile.lower, decile.lower + 0.1)) | \(decile.forecasts) | \(percent(decile.meanPredicted)) | \(percent(decile.observed)) | \(String(format: "%+.1f", gap)) |\n"
        }
        out += "\n### Workload projection\n\n"
        out += "Projections from \(span(workload.asOfDays)), compared with the month 3 and 6 months on.\n\n"
        out +=
            "| measure | horizon (months) | projections | MAPE of the median | 80% band coverage |\n|---|---|---|---|---|\n"
        for score in workload.scores {
            out +=
                "| \(score.measure.rawValue) | \(score.horizon) | \(score.projections) | \(String(format: "%.1f%%", score.mape)) | \(String(format: "%.0f%%", score.coverage)) |\n"
        }
        return out
    }
}
