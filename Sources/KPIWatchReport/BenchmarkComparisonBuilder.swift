import KPIWatchCore
import KPIWatchEngine

/// This LA against its statistical neighbours, region and England, for every measure the project's benchmark
/// files give at two or more of those levels (as `kpiwatch benchmarks` writes them).
package struct BenchmarkComparisonBuilder {
    package let benchmarks: [String: Benchmark]
    package let format: ReportFormat
    package let chartFolder: String

    package func build() -> [BenchmarkComparison] {
        var families: [String: [(BenchmarkFamily.Level, Benchmark)]] = [:]
        for (name, benchmark) in benchmarks where benchmark.value.double != nil {
            guard let family = BenchmarkFamily(name: name) else { continue }
            families[family.measure, default: []].append((family.level, benchmark))
        }
        return families.keys.sorted().compactMap { measure in
            let members = BenchmarkFamily.Level.allCases.compactMap { level in
                families[measure]!.first { $0.0 == level }
            }
            guard members.count >= 2 else { return nil }
            let title = Self.title(measure: measure, members.map(\.1))
            let decimals = members.contains { abs($0.1.value.double!) < 10 } ? 2 : 1
            let text: @Sendable (Double) -> String = { ValueFormatter.decimal($0, places: decimals) }
            let bars = members.map { level, benchmark in
                let year = benchmark.year.map { " (\($0))" } ?? ""
                return BarChart.Bar(
                    label: level.label, value: benchmark.value.double!, note: text(benchmark.value.double!) + year,
                    className: level == .la ? "bar bar-la" : "bar bar-benchmark")
            }
            let chart = BarChart(title: title, bars: bars, format: text)
            return BenchmarkComparison(
                title: format.text(title),
                chart: ReportChart(
                    title: format.text(title), svg: chart.svg(), file: "\(chartFolder)/benchmark-\(measure).svg"),
                rows: members.map { level, benchmark in
                    BenchmarkRow(
                        area: level.label, value: text(benchmark.value.double!), year: format.text(benchmark.year),
                        source: format.text(benchmark.source))
                })
        }
    }

    /// The measure as its source describes it (`source:` up to its first ", "), else its name.
    package static func title(measure: String, _ members: [Benchmark]) -> String {
        if let source = members.compactMap(\.source).first,
            let described = source.components(separatedBy: ", ").first, !described.isEmpty,
            described.count < 120
        {
            return described.prefix(1).uppercased() + described.dropFirst()
        }
        return measure.replacingOccurrences(of: "_", with: " ")
    }
}
