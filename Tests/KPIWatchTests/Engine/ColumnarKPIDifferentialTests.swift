import Foundation
import KPIWatchCore
import Testing

@testable import KPIWatch
@testable import KPIWatchEngine

/// Whole KPIs through the columnar folds against the row-at-a-time evaluator (the oracle): random datasets (nulls,
/// dates across month ends, leap days and year starts, ints at the edges of overflow, strings that differ only in
/// case, spaces or Unicode normalisation) and random KPIs — every period kind, cumulative, year to date, rolling,
/// snapshots with history whose `where` reads as_of, dated snapshots, every aggregate, grouped by one or two fields
/// of each type — judged by random thresholds over every threshold variable, `for`, `min_count`, `no_data` and
/// messages, a KPI built on two of them, and a case alert; every value and previous value (bit for bit), count,
/// state, threshold, group spelling and alert (KPI and case alerts, severities, labels, messages) must be the
/// same. A failure names the seed and the rules. Short by default (60 cases); the long run (docs/performance.md)
/// takes its seeds from `DifferentialSeeds`, e.g. four shards of 2,500 side by side or one after another:
/// `KPIWATCH_DIFFERENTIAL_SEED_START=2500 KPIWATCH_DIFFERENTIAL_CASES=2500 swift test --filter
/// ColumnarKPIDifferentialTests`.
@Suite struct ColumnarKPIDifferentialTests {
    @Test func foldedKPIsAgreeWithTheRowEvaluator() throws {
        var failures: [String] = []
        var paths: [String: Int] = [:]
        let seeds = DifferentialSeeds.range(short: 60)
        for seed in seeds where failures.count < 3 {
            var random = SeededRandom(seed: seed &* 104_729 &+ 17)
            let project = RandomProject(&random)
            do {
                if let failure = try project.compare(&paths) { failures.append("seed \(seed): \(failure)") }
            } catch {
                failures.append("seed \(seed): \(error)\n\(project.rules)")
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
        // Every path is exercised, so that agreement is not agreement of the row evaluator with itself (a replay of
        // a few seeds need not reach them all).
        for path in [
            "counted per base period", "folded record by record", "snapshots from each record",
            "decided per snapshot", "folded row by row",
        ] where seeds.count >= 60 {
            #expect(paths[path, default: 0] > 0, "no generated KPI took the path '\(path)': \(paths)")
        }
        // And the judging of values is compared too: every state a threshold can give, and alerts of both kinds.
        for outcome in [
            "state ok", "state warning", "state critical", "state no_data", "state suppressed",
            "KPI alert", "case alert", "KPI built on KPIs",
        ] where seeds.count >= 60 {
            #expect(paths[outcome, default: 0] > 0, "no generated case gave '\(outcome)': \(paths)")
        }
    }
}

/// A project of one dataset of random records and random KPIs over it.
private struct RandomProject {
    static let fields: [(String, String)] = [
        ("id", "string"), ("d1", "date"), ("d2", "date"), ("i1", "int"), ("i2", "int"), ("n1", "number"),
        ("n2", "number"), ("s1", "string"), ("s2", "string"), ("b1", "bool"), ("b2", "bool"),
    ]
    static let asOfDays = [
        "2024-02-29", "2025-01-31", "2024-12-15", "2025-03-31", "2024-09-01", "2024-03-01", "2023-12-31", "2024-02-28",
    ]

    var rules: String
    var yearStart: String
    var asOf: String
    var rows: [[String?]]

    init(_ random: inout SeededRandom) {
        yearStart = random.pick(["01-01", "09-01", "04-06", "03-01"])
        asOf = random.pick(Self.asOfDays)
        var expressions = ExpressionGenerator(random: SeededRandom(seed: random.next()))
        var text = "kpis:\n"
        var groups: [String] = []
        for index in 0..<4 {
            let (kpi, group) = Self.kpi(index, &random, &expressions)
            text += kpi
            groups.append(group)
        }
        if random.chance(50) { text += Self.derivedKPI(groups, &random) }
        text += """
            case_alerts:
              - id: alert
                dataset: records
                key: id
                where: \(Self.quoted(Self.condition(&random, &expressions)))
                severity: \(random.pick(["warning", "critical"]))
                labels: { team: "{s1}" }
                message: "{id} {s2} {days_between(d1, as_of)} {coalesce(n1, i1)}"

            """
        rules = text
        rows = (0..<random.below(220)).map { index in
            var cells: [String?] = ["R\(index)"]
            for value in RecordGenerator.row(&random).prefix(Self.fields.count - 1) { cells.append(Self.text(value)) }
            return cells
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A cell as an export would hold it.
    static func text(_ value: Value) -> String? {
        switch value {
        case .null: return ""
        case .number(let x): return x.magnitude < 1e15 && x != 0 ? String(x) : "0"
        default: return value.description
        }
    }

    /// A condition: from the grammar at random, or one of the snapshot forms that read as_of (open on a date,
    /// overdue on a date), or one with no run of as-of dates (the per-snapshot path).
    static func condition(_ random: inout SeededRandom, _ expressions: inout ExpressionGenerator) -> String {
        if random.chance(40) {
            // A benchmark read from a file is a number, where the expression generator takes benchmark.target for an int.
            var text = expressions.condition(depth: 3)
            while text.contains("benchmark.target") { text = expressions.condition(depth: 3) }
            return text
        }
        return random.pick([
            "d1 <= as_of and (d2 is null or d2 > as_of)",
            "d1 <= as_of and (d2 is null or d2 > as_of) and days_between(d1, as_of) > 140",
            "(d2 is null or d2 > as_of) and days_between(d1, as_of) >= i1",
            "as_of >= d1 or as_of > add_days(d2, 3)",
            "days_between(as_of, d2) >= 0 and s1 != \"north\"",
            "as_of == d1 or b1",
            "d2 < as_of and (b2 or s2 in [benchmark.codes])",
            "days_between(d1, as_of) < 30 or days_between(d2, as_of) < 10",
            "d1 <= as_of and not (d2 <= as_of)",
            "as_of != d1",
            "b1",
        ])
    }

    /// A KPI's text and its `group_by` ("" for none).
    static func kpi(_ index: Int, _ random: inout SeededRandom, _ expressions: inout ExpressionGenerator) -> (
        String, String
    ) {
        let period = random.pick(["month", "quarter", "year", "year_to_date", "rolling_12_months", "snapshot", "all"])
        var lines = ["  - id: k\(index)", "    dataset: records", "    period: \(period)"]
        if period != "all" { lines.append("    history: \(1 + random.below(13))") }
        if (period == "month" || period == "quarter") && random.chance(40) { lines.append("    cumulative: true") }
        let dates = ["d1", "d2", "add_days(d1, 140)", "coalesce(d2, d1)", "add_months(d1, i2)"]
        if period == "snapshot" || period == "all" {
            if random.chance(30) { lines.append("    date: \(quoted(random.pick(dates)))") }
        } else {
            lines.append("    date: \(quoted(random.pick(dates)))")
        }
        if random.chance(80) { lines.append("    where: \(quoted(condition(&random, &expressions)))") }
        lines.append("    value: \(quoted(value(&random, &expressions)))")
        let groups = ["", "[s1]", "[s1, s2]", "[b1]", "[i1]", "[d2]", "[s2, b2]"]
        let group = random.pick(groups)
        if !group.isEmpty { lines.append("    group_by: \(group)") }
        lines += assessment(group, &random)
        return (lines.joined(separator: "\n") + "\n", group)
    }

    /// How a KPI's values are judged: thresholds over every threshold variable (and its group fields), `for`,
    /// `min_count`, `no_data`, a unit and a message, so that states, thresholds, previous values and alerts are
    /// compared as well as values.
    static func assessment(_ group: String, _ random: inout SeededRandom) -> [String] {
        var conditions = [
            "value > 50", "value < 20", "value >= benchmark.target", "value > benchmark.ceiling", "change > 0",
            "change <= -1", "previous is null", "value < previous", "value > avg_of_history",
            "value >= max_of_history", "value <= min_of_history", "trend > 0", "trend < -0.5", "count < 3",
            "count >= 10", "value * 2 > count", "forecast(date(\"2025-06-30\")) > value", "value == 0",
            "as_of > date(\"2024-12-31\") and value > 1",
        ]
        if group.contains("s1") { conditions.append("s1 == \"north\" or value > 5") }
        if group.contains("b1") { conditions.append("b1 and value > 0") }
        if group.contains("i1") { conditions.append("i1 > 0 and value >= 1") }
        if group.contains("d2") { conditions.append("d2 < date(\"2024-06-01\")") }
        var lines: [String] = []
        if random.chance(75) {
            lines.append("    thresholds:")
            let both = random.chance(50)
            if both || random.chance(50) { lines.append("      critical: \(quoted(random.pick(conditions)))") }
            lines.append("      warning: \(quoted(random.pick(conditions)))")
        }
        if random.chance(30) { lines.append("    for: \(1 + random.below(3))") }
        if random.chance(30) { lines.append("    min_count: \(random.below(7))") }
        if random.chance(40) {
            lines.append("    no_data: \(random.pick(["ignore", "warning", "critical", "unknown"]))")
        }
        if random.chance(30) { lines.append("    higher_is_better: \(random.chance(50))") }
        if random.chance(50) {
            lines.append("    unit: \(random.pick(["percent", "count", "number", "days", "weeks", "ratio"]))")
        }
        if random.chance(50) {
            let fields = ["s1", "s2", "b1", "b2", "i1", "d2"].filter { group.contains($0) }.map { "{\($0)}" }
            lines.append(
                "    message: \(quoted(fields.joined(separator: " ") + " {value} in {period} ({count}, was {previous}, {change}, {threshold}, {trend})"))"
            )
        }
        return lines
    }

    /// A KPI with no dataset, arithmetic over two of the others: the columnar results feed it as the row
    /// evaluator's do.
    static func derivedKPI(_ groups: [String], _ random: inout SeededRandom) -> String {
        let (a, b) = (random.below(4), random.below(4))
        var lines = [
            "  - id: derived",
            "    value: \(quoted(random.pick(["kpi.k\(a) - kpi.k\(b)", "100 * kpi.k\(a) / kpi.k\(b)", "kpi.k\(a)"])))",
        ]
        let group = random.pick([groups[a], groups[b], ""])
        if !group.isEmpty { lines.append("    group_by: \(group)") }
        lines += assessment(group, &random).filter { !$0.contains("min_count") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func value(_ random: inout SeededRandom, _ expressions: inout ExpressionGenerator) -> String {
        func aggregate() -> String {
            switch random.below(12) {
            case 0, 1: return "count()"
            case 2: return "count(\(condition(&random, &expressions)))"
            case 3, 4: return "percent(\(condition(&random, &expressions)))"
            case 5: return "sum(\(random.pick(["i1", "n1", "days_between(d1, as_of)", "i1 + i2"])))"
            case 6: return "avg(\(random.pick(["n1", "i2", "days_between(d1, d2)"])))"
            case 7:
                let extreme = random.pick(["min", "max"])
                if random.chance(25) {
                    return "days_between(\(extreme)(\(random.pick(["d1", "d2", "add_months(d1, i2)"]))), as_of)"
                }
                return "\(extreme)(\(random.pick(["n1", "i1", "n2", "i1 * i2"])))"
            case 8: return "median(\(random.pick(["n1", "days_between(d1, as_of) / 7", "i2"])))"
            case 9:
                return
                    "percentile(\(random.pick(["n2", "i1"])), \(random.pick(["90", "10", "50", "0", "100", "33.3"])))"
            case 10: return "count_distinct(\(random.pick(["s1", "i2", "d1", "n1", "b1", "lower(trim(s2))"])))"
            default: return "count(\(condition(&random, &expressions))) + percent(d1 <= as_of)"
            }
        }
        if random.chance(5) { return "count() * (days_between(period_start, period_end) + 1)" }
        return random.chance(25) ? "\(aggregate()) \(random.pick(["-", "/", "*"])) \(aggregate())" : aggregate()
    }

    /// The first disagreement between the columnar and the row-by-row evaluation, if any.
    func compare(_ paths: inout [String: Int]) throws -> String? {
        let folder = TemporaryDirectory()
        folder.write("rules.yaml", rules)
        folder.write(
            "benchmarks.yaml",
            """
            benchmarks:
              codes: { value: [personal_circumstances, "1"], source: test }
              ceiling: { value: 12.5, source: test }
              target: { value: 70, source: test }
              deadline: { value: 2024-02-29, source: test }

            """)
        let fieldLines = Self.fields.map { name, type in
            "      \(name): { column: \(name), type: \(type)\(name == "id" ? ", key: true" : "") }"
        }
        folder.write(
            "kpiwatch.yaml",
            """
            version: 1
            year_start: "\(yearStart)"
            rules: [rules.yaml]
            benchmarks: [benchmarks.yaml]
            datasets:
              records:
                source: csv
                path: never-written.csv
                fields:
            \(fieldLines.joined(separator: "\n"))

            """)
        let memory = MemorySource(origin: "memory: records", columns: Self.fields.map(\.0), textRows: rows)
        let asOf = Day(iso: asOf)!
        var evaluations: [Evaluation] = []
        for columnar in [true, false] {
            var engine = Engine.standard()
            engine.columnarConditions = columnar
            let (project, serving) = engine.serving(
                ["records": memory], in: try engine.load(configPath: folder.path + "/kpiwatch.yaml"))
            if columnar {
                for plan in serving.explainPlan(project, asOf: asOf) {
                    for how in plan.inProcess.values {
                        for path in [
                            "counted per base period", "folded record by record", "snapshots from each record",
                            "decided per snapshot", "folded row by row",
                        ] where how.contains(path) {
                            paths[path, default: 0] += 1
                        }
                    }
                }
            }
            evaluations.append(try serving.evaluate(project, asOf: asOf))
        }
        let (a, b) = (evaluations[0], evaluations[1])
        for result in a.results { paths["state \(result.state.rawValue)", default: 0] += 1 }
        for alert in a.alerts { paths[alert.key == nil ? "KPI alert" : "case alert", default: 0] += 1 }
        if a.results.contains(where: { $0.id == "derived" }) { paths["KPI built on KPIs", default: 0] += 1 }
        let problems = a.datasets.flatMap(\.problems)
        if !problems.isEmpty { return "the dataset did not read: \(problems)\n\(rules)" }
        if a.results.count != b.results.count {
            return "\(a.results.count) results against \(b.results.count) row by row\n\(rules)"
        }
        for (x, y) in zip(a.results, b.results) {
            let name = "\(x.id) \(x.period) \(x.groupDictionary)"
            // Group values compared by their bytes: which spelling names a group is part of the result.
            let sameGroup = x.group.map { Array($0.text.utf8) } == y.group.map { Array($0.text.utf8) }
            if x.id != y.id || x.period != y.period || !sameGroup {
                return "\(name) against \(y.id) \(y.period) \(y.groupDictionary)\n\(rules)"
            }
            if x.value?.bitPattern != y.value?.bitPattern || x.previous?.bitPattern != y.previous?.bitPattern
                || x.count != y.count || x.state != y.state || x.threshold != y.threshold || x.current != y.current
            {
                return "\(name): \(Self.describe(x)) against \(Self.describe(y))\n\(rules)"
            }
        }
        let alerts = (a.alerts.map(ColumnarEngineTests.describe), b.alerts.map(ColumnarEngineTests.describe))
        if alerts.0 != alerts.1 { return "alerts differ: \(alerts.0) against \(alerts.1)\n\(rules)" }
        return nil
    }

    static func describe(_ result: KPIResult) -> String {
        "value \(String(describing: result.value)) previous \(String(describing: result.previous)) count "
            + "\(String(describing: result.count)) \(result.state) (\(result.threshold ?? "no threshold"), "
            + "current \(result.current))"
    }
}
