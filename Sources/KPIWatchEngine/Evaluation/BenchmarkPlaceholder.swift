import KPIWatchCore

/// `{benchmark.NAME}` or `{benchmark.NAME.year}` in a KPI's message. A benchmark quoted without its year
/// misleads: England's 59.9% is 2021's figure, not this year's, so a message can name the year beside it.
package struct BenchmarkPlaceholder {
    package var name: String
    package var wantsYear: Bool

    package init?(_ placeholder: String) {
        guard placeholder.hasPrefix("benchmark.") else { return nil }
        let rest = placeholder.dropFirst(10)
        wantsYear = rest.hasSuffix(".year")
        name = String(wantsYear ? rest.dropLast(5) : rest)
    }

    package func render(_ benchmark: Benchmark, unit: Unit) -> String {
        if wantsYear { return benchmark.year ?? "year not given" }
        return benchmark.value.double.map { ValueFormatter.format($0, unit: unit) } ?? benchmark.value.description
    }
}
