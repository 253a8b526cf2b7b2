import KPIWatchCore

/// List benchmarks travel with the scalar ones as constants, item by item under `NAME[0]`, `NAME[1]`, … (a name
/// a user cannot write), so that the type checker and the SQL translator, which both see only name → value,
/// expand `x in [benchmark.NAME]` the same way. (The engine makes the constants: `BenchmarkList.constants`.)
package enum BenchmarkList {
    /// The items of list benchmark `name` (without `benchmark.`), or nil when it is not a list.
    package static func items(_ name: String, in constants: [String: Value]) -> [Value]? {
        guard case .int(let count) = constants["\(name)[]"] else { return nil }
        return (0..<count).compactMap { constants["\(name)[\($0)]"] }
    }
}
