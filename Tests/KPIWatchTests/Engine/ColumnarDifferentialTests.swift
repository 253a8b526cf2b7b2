import Foundation
import KPIWatchCore
import KPIWatchExpressions
import Testing

@testable import KPIWatchEngine

/// The columnar evaluator against the row-at-a-time one (the oracle): random records (nulls, dates across month
/// ends and leap days, ints at the edges of overflow, strings that differ only in case, spaces or Unicode
/// normalisation) and random type-correct expressions from the grammar, and the two must give the same value for
/// every row. A failure names the seed, the expression and the row. Short by default (400 cases); the long run
/// (docs/performance.md) sets the seeds with `DifferentialSeeds`:
/// `KPIWATCH_DIFFERENTIAL_CASES=10000 swift test --filter ColumnarDifferentialTests`.
@Suite struct ColumnarDifferentialTests {
    @Test func columnarEvaluatorAgreesWithTheRowEvaluator() throws {
        var failures: [String] = []
        for seed in DifferentialSeeds.range(short: 400) where failures.count < 5 {
            var generator = ExpressionGenerator(random: SeededRandom(seed: seed))
            let expression = generator.condition(depth: 4)
            var random = SeededRandom(seed: seed &* 7919 &+ 1)
            let rows = (0..<RecordGenerator.rowsPerCase).map { _ in RecordGenerator.row(&random) }
            if let failure = try Self.compare(expression, rows: rows, seed: seed) { failures.append(failure) }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func everyGeneratedFormIsCovered() throws {
        // A generated expression the columnar evaluator turned down would be tested against nothing.
        var generator = ExpressionGenerator(random: SeededRandom(seed: 42))
        for _ in 0..<200 {
            let text = generator.condition(depth: 4)
            #expect(ColumnarEvaluator.forTest(text) != nil, "not covered: \(text)")
        }
    }

    static func compare(_ text: String, rows: [[Value]], seed: UInt64) throws -> String? {
        let source = LocatedText(text, origin: TextOrigin(file: "generated.yaml", line: 1, column: 1))
        let scope = ExpressionScope(fields: RecordGenerator.scopeFields, benchmarks: RecordGenerator.benchmarks)
        let compiled = try ExpressionCompiler.compile(source, in: scope, expecting: .bool).expression
        guard let evaluator = ColumnarEvaluator.forTest(text) else { return "seed \(seed): not covered: \(text)" }
        let builder = ColumnBatch.Builder(fields: RecordGenerator.fieldTypes)
        // Two batches over one evaluator, so that per-code caches carried from batch to batch are exercised.
        let half = rows.count / 2
        for (offset, slice) in [(0, rows[..<half]), (half, rows[half...])] {
            guard let batch = builder.build(slice) else { return "seed \(seed): rows did not make a batch" }
            for asOf in RecordGenerator.asOfDays {
                let column = evaluator.evaluate(batch, asOf: asOf)
                for position in 0..<slice.count {
                    let context = EvalContext(row: rows[offset + position], asOf: asOf)
                    let expected = compiled.evaluate(context)
                    let got = column.value(at: position)
                    if !Self.same(expected, got) {
                        return "seed \(seed): \(text)\n  as_of \(asOf.iso), row \(rows[offset + position]):"
                            + " row evaluator \(expected), columnar \(got)"
                    }
                }
            }
        }
        return nil
    }

    /// Equal values, numbers bit for bit.
    static func same(_ a: Value, _ b: Value) -> Bool {
        if case .number(let x) = a, case .number(let y) = b {
            return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        }
        return a == b
    }
}

extension ColumnarEvaluator {
    static func forTest(_ text: String) -> ColumnarEvaluator? {
        let source = LocatedText(text, origin: TextOrigin(file: "generated.yaml", line: 1, column: 1))
        let typed = TypedRecordExpression.lower(
            source, fields: RecordGenerator.scopeFields, benchmarks: RecordGenerator.benchmarks)
        return typed.flatMap { ColumnarEvaluator($0) }
    }
}

/// The seeds a differential run covers: KPIWATCH_DIFFERENTIAL_CASES of them (else the suite's short count) from
/// KPIWATCH_DIFFERENTIAL_SEED_START (else 0), so that a long run can be split into shards that run side by side or
/// resume where one stopped; a failure names its seed, which replays with CASES=1 and SEED_START=that seed.
enum DifferentialSeeds {
    static func range(short: Int) -> Range<UInt64> {
        let environment = ProcessInfo.processInfo.environment
        let start = environment["KPIWATCH_DIFFERENTIAL_SEED_START"].flatMap(UInt64.init) ?? 0
        let count = environment["KPIWATCH_DIFFERENTIAL_CASES"].flatMap(UInt64.init) ?? UInt64(short)
        return start..<(start + count)
    }
}

/// SplitMix64: the same sequence for a seed on every machine, so that a failure can be replayed.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Records of a dataset with two fields of each type.
enum RecordGenerator {
    static let rowsPerCase = 48
    static let names: [(String, FieldType)] = [
        ("d1", .date), ("d2", .date), ("i1", .int), ("i2", .int), ("n1", .number), ("n2", .number),
        ("s1", .string), ("s2", .string), ("b1", .bool), ("b2", .bool),
    ]
    static var scopeFields: [String: ExpressionScope.Field] {
        var fields: [String: ExpressionScope.Field] = [:]
        for (index, (name, type)) in names.enumerated() { fields[name] = .init(type: type, index: index) }
        return fields
    }
    static var fieldTypes: [(index: Int, type: ExprType)] {
        names.enumerated().map { ($0.offset, ExprType($0.element.1)) }
    }
    static let benchmarks: [String: Value] = [
        "codes[0]": .string("personal_circumstances"), "codes[1]": .string("1"), "codes[]": .int(2),
        "ceiling": .number(12.5), "target": .int(70), "deadline": .date(Day(iso: "2024-02-29")!),
    ]
    /// Month ends, leap days and the days around them.
    static let anchorDays = [
        "2023-01-31", "2023-02-28", "2024-02-28", "2024-02-29", "2024-03-01", "2024-12-31", "2025-03-31",
        // The century rules: 2000 a leap year, 2100 not.
        "2000-02-29", "2100-02-28",
    ]
    .map { Day(iso: $0)! }
    static let asOfDays = [Day(iso: "2024-02-29")!, Day(iso: "2025-01-31")!]
    static let strings = [
        "personal_circumstances", " Personal_Circumstances ", "PERSONAL_CIRCUMSTANCES", "1", "", " ", "a b",
        "caf\u{E9}", "cafe\u{301}", "Zoë", "north", "North",
    ]
    static let ints = [0, 1, -1, 7, 42, 140, 365, -400, Int.max, Int.min, Int.max - 1, Int.min + 1, 3_000_000_000]
    static let numbers = [0.0, -0.0, 0.5, 2.5, -3.75, 1e300, -1e300, 140.0, 1.0 / 3.0]

    static func row(_ random: inout SeededRandom) -> [Value] {
        names.map { _, type in
            if random.chance(20) { return .null }
            switch type {
            case .date: return .date(random.pick(anchorDays).adding(days: random.below(90) - 45))
            case .int: return .int(random.chance(70) ? random.below(800) - 200 : random.pick(ints))
            case .number:
                return .number(random.chance(50) ? Double(random.below(4000)) / 8 - 100 : random.pick(numbers))
            case .string: return .string(random.pick(strings))
            case .bool: return .bool(random.chance(50))
            }
        }
    }
}

/// Type-correct expressions of the grammar's record forms, as rule text.
struct ExpressionGenerator {
    var random: SeededRandom

    mutating func condition(depth: Int) -> String {
        let leaf = depth <= 0 || random.chance(25)
        switch random.below(leaf ? 6 : 10) {
        case 0: return "\(number(depth: depth - 1)) \(comparison()) \(number(depth: depth - 1))"
        case 1: return "\(date(depth: depth - 1)) \(comparison()) \(date(depth: depth - 1))"
        case 2: return "\(string(depth: depth - 1)) \(comparison()) \(string(depth: depth - 1))"
        case 3: return "\(any(depth: depth - 1)) is \(random.chance(50) ? "not " : "")null"
        case 4:
            let list = random.chance(30) ? "[benchmark.codes]" : "[\"north\", \"1\", \"caf\u{E9}\"]"
            return "\(string(depth: depth - 1)) \(random.chance(50) ? "not in" : "in") \(list)"
        case 5: return random.pick(["b1", "b2", "true", "false", "b1 == b2", "b1 != true"])
        case 6: return "(\(condition(depth: depth - 1)) and \(condition(depth: depth - 1)))"
        case 7: return "(\(condition(depth: depth - 1)) or \(condition(depth: depth - 1)))"
        case 8: return "not (\(condition(depth: depth - 1)))"
        default: return "\(integer(depth: depth - 1)) \(random.chance(50) ? "in" : "not in") [1, 140, -1]"
        }
    }

    mutating func comparison() -> String { random.pick(["==", "!=", "<", "<=", ">", ">="]) }

    mutating func any(depth: Int) -> String {
        switch random.below(5) {
        case 0: return number(depth: depth)
        case 1: return date(depth: depth)
        case 2: return string(depth: depth)
        case 3: return integer(depth: depth)
        default: return "(\(condition(depth: depth)))"
        }
    }

    mutating func integer(depth: Int) -> String {
        let leaf = depth <= 0 || random.chance(30)
        switch random.below(leaf ? 3 : 8) {
        case 0: return random.pick(["i1", "i2"])
        case 1: return random.pick(["0", "140", "9223372036854775807", "2", "benchmark.target"])
        case 2: return "days_between(\(date(depth: 0)), \(date(depth: 0)))"
        case 3: return "weeks_between(\(date(depth: depth - 1)), \(date(depth: depth - 1)))"
        case 4: return "(\(integer(depth: depth - 1)) \(random.pick(["+", "-", "*"])) \(integer(depth: depth - 1)))"
        case 5: return "-(\(integer(depth: depth - 1)))"
        case 6: return "coalesce(\(integer(depth: depth - 1)), \(integer(depth: depth - 1)))"
        default: return "days_between(\(date(depth: depth - 1)), as_of)"
        }
    }

    mutating func number(depth: Int) -> String {
        let leaf = depth <= 0 || random.chance(30)
        switch random.below(leaf ? 3 : 6) {
        case 0: return random.pick(["n1", "n2", "2.5", "0.0", "benchmark.ceiling"])
        case 1, 2: return integer(depth: depth)
        case 3: return "(\(number(depth: depth - 1)) \(random.pick(["+", "-", "*", "/"])) \(number(depth: depth - 1)))"
        case 4: return "-(\(number(depth: depth - 1)))"
        default: return "coalesce(\(number(depth: depth - 1)), \(integer(depth: depth - 1)))"
        }
    }

    mutating func date(depth: Int) -> String {
        let leaf = depth <= 0 || random.chance(30)
        switch random.below(leaf ? 3 : 7) {
        case 0: return random.pick(["d1", "d2"])
        case 1: return random.pick(["as_of", "date(\"2024-02-29\")", "benchmark.deadline"])
        case 2: return "d1"
        case 3: return "add_days(\(date(depth: depth - 1)), \(integer(depth: depth - 1)))"
        case 4: return "add_weeks(\(date(depth: depth - 1)), \(random.pick(["1", "-3", "i1", "20"])))"
        case 5: return "add_months(\(date(depth: depth - 1)), \(random.pick(["1", "-1", "12", "i2", "-13"])))"
        default: return "coalesce(\(date(depth: depth - 1)), \(date(depth: depth - 1)))"
        }
    }

    mutating func string(depth: Int) -> String {
        let leaf = depth <= 0 || random.chance(30)
        switch random.below(leaf ? 2 : 6) {
        case 0: return random.pick(["s1", "s2"])
        case 1: return random.pick(["\"north\"", "\"personal_circumstances\"", "\"\"", "\"caf\u{E9}\""])
        case 2: return "lower(\(string(depth: depth - 1)))"
        case 3: return "upper(\(string(depth: depth - 1)))"
        case 4: return "trim(\(string(depth: depth - 1)))"
        default: return "coalesce(\(string(depth: depth - 1)), \(string(depth: depth - 1)))"
        }
    }
}
