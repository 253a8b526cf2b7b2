import KPIWatchCore

/// What both KPI exports (`--format csv`, `--format openmetrics`) say about one KPI value beside the value
/// itself: the rule's title and thresholds and the benchmarks its thresholds compare with, looked up once per
/// KPI.
package struct KPIExportContext {
    package struct Rule {
        package var warningWhen: String?
        package var criticalWhen: String?
        /// `benchmark.NAME` the thresholds compare with, in order of first use, with their values.
        package var benchmarks: [(name: String, value: Double)]
    }

    package let rules: [String: Rule]

    package init(_ project: LoadedProject) {
        var rules: [String: Rule] = [:]
        for kpi in project.compiled.kpis {
            var names: [String] = []
            for threshold in kpi.thresholds {
                for name in threshold.condition.referencedBenchmarks where !names.contains(name) { names.append(name) }
            }
            let benchmarks = names.compactMap { name in
                project.compiled.benchmarks[name]?.value.double.map { (name: name, value: $0) }
            }
            rules[kpi.rule.id] = Rule(
                warningWhen: kpi.rule.thresholds.first { $0.severity == .warning }?.condition.text,
                criticalWhen: kpi.rule.thresholds.first { $0.severity == .critical }?.condition.text,
                benchmarks: benchmarks)
        }
        self.rules = rules
    }

    /// Every benchmark some KPI's thresholds use, in order of first use: the benchmark columns of the CSV.
    package func benchmarkNames(for results: [KPIResult]) -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        for result in results where seen.insert(result.id).inserted {
            for benchmark in rules[result.id]?.benchmarks ?? [] where !names.contains(benchmark.name) {
                names.append(benchmark.name)
            }
        }
        return names
    }

    /// Group field names in order of first appearance: one column (or label) each.
    package static func groupFields(of results: [KPIResult]) -> [String] {
        var names: [String] = []
        for result in results {
            for field in result.group where !names.contains(field.name) { names.append(field.name) }
        }
        return names
    }

    /// A number as JSON writes it: whole numbers without a decimal point, others with every digit.
    package static func number(_ value: Double) -> String { JSONValue.number(value).serialized }
}
