import KPIWatchCore
import KPIWatchExpressions

/// List benchmarks travel with the scalar ones as constants, item by item under `NAME[0]`, `NAME[1]`, … (a name
/// a user cannot write), so that the type checker and the SQL translator, which both see only name → value,
/// expand `x in [benchmark.NAME]` the same way.
extension BenchmarkList {
    /// Every benchmark as constants: scalars by name, list items by `NAME[i]`.
    package static func constants(_ benchmarks: [String: Benchmark]) -> [String: Value] {
        var constants: [String: Value] = [:]
        for (name, benchmark) in benchmarks {
            if let list = benchmark.list {
                for (index, item) in list.enumerated() { constants["\(name)[\(index)]"] = item }
                constants["\(name)[]"] = .int(list.count)
            } else {
                constants[name] = benchmark.value
            }
        }
        return constants
    }
}
