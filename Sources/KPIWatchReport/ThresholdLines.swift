import KPIWatchCore
import KPIWatchEngine
import KPIWatchExpressions

/// The levels a KPI's chart draws: each threshold that compares `value` with a number or a benchmark, and the
/// national, regional and statistical-neighbour siblings of the benchmarks it uses.
package enum ThresholdLines {
    package static func lines(for rule: KPIRule, benchmarks: [String: Benchmark]) -> [ReferenceLine] {
        let format = { (value: Double) in ValueFormatter.format(value, unit: rule.unit) }
        var lines: [ReferenceLine] = []
        var used: [String] = []
        for threshold in rule.thresholds {
            guard let comparison = comparison(threshold.condition) else { continue }
            let level: Double
            var what: String
            switch comparison.bound {
            case .number(let number):
                level = number
                what = format(number)
            case .benchmark(let name):
                guard let value = benchmarks[name]?.value.double else { continue }
                level = value
                what = "\(BenchmarkFamily.label(of: name)) \(format(value))"
                used.append(name)
            }
            let severity = threshold.severity == .critical ? "Critical" : "Warning"
            lines.append(
                ReferenceLine(
                    level: level, label: "\(severity) \(comparison.below ? "below" : "above") \(what)",
                    kind: threshold.severity == .critical ? .critical : .warning))
        }
        // The other geographies of the benchmarks the thresholds use, as plain benchmark lines.
        let families = Set(used.compactMap { BenchmarkFamily(name: $0)?.measure })
        for name in benchmarks.keys.sorted() where !used.contains(name) {
            guard let family = BenchmarkFamily(name: name), families.contains(family.measure), family.level != .la,
                let value = benchmarks[name]?.value.double
            else { continue }
            let year = benchmarks[name]?.year.map { " (\($0))" } ?? ""
            lines.append(
                ReferenceLine(level: value, label: "\(family.level.label) \(format(value))\(year)", kind: .benchmark))
        }
        return lines
    }

    package enum Bound {
        case number(Double)
        case benchmark(String)
    }

    /// `value < 70`, `value > benchmark.x`, or the same written the other way round; nil for anything else.
    package static func comparison(_ condition: LocatedText) -> (below: Bool, bound: Bound)? {
        guard let node = try? Parser.parse(condition), case .binary(let op, let left, let right) = node.kind,
            op.isComparison, op != .equal, op != .notEqual
        else { return nil }
        let less = op == .less || op == .lessOrEqual
        if case .name("value") = left.kind, let bound = bound(right) { return (less, bound) }
        if case .name("value") = right.kind, let bound = bound(left) { return (!less, bound) }
        return nil
    }

    private static func bound(_ node: ExprNode) -> Bound? {
        switch node.kind {
        case .literal(let value): return value.double.map(Bound.number)
        case .negate(let inner):
            if case .literal(let value) = inner.kind, let number = value.double { return .number(-number) }
            return nil
        case .name(let name) where name.hasPrefix("benchmark."):
            return .benchmark(String(name.dropFirst("benchmark.".count)))
        default: return nil
        }
    }

    /// A trajectory: a threshold `forecast(benchmark.DATE) < LEVEL` (or a literal date and level), read as the date
    /// the KPI is to reach the level by.
    package static func trajectory(of rule: KPIRule, benchmarks: [String: Benchmark]) -> (date: Day, level: Double)? {
        for threshold in rule.thresholds {
            guard let node = try? Parser.parse(threshold.condition),
                case .binary(let op, let left, let right) = node.kind,
                op.isComparison
            else { continue }
            for (call, other) in [(left, right), (right, left)] {
                guard case .call("forecast", let arguments) = call.kind, arguments.count == 1,
                    let date = day(arguments[0], benchmarks), let level = number(other, benchmarks)
                else { continue }
                return (date, level)
            }
        }
        return nil
    }

    private static func day(_ node: ExprNode, _ benchmarks: [String: Benchmark]) -> Day? {
        switch node.kind {
        case .name(let name) where name.hasPrefix("benchmark."):
            if case .date(let day) = benchmarks[String(name.dropFirst("benchmark.".count))]?.value { return day }
            return nil
        case .call("date", let arguments):
            if arguments.count == 1, case .literal(.string(let text)) = arguments[0].kind { return Day(iso: text) }
            return nil
        default: return nil
        }
    }

    private static func number(_ node: ExprNode, _ benchmarks: [String: Benchmark]) -> Double? {
        switch bound(node) {
        case .number(let number): return number
        case .benchmark(let name): return benchmarks[name]?.value.double
        case nil: return nil
        }
    }
}
