import KPIWatchCore
import KPIWatchExpressions

/// The `where` conditions of one dataset pass (every KPI's and case alert's), evaluated a batch of records at a
/// time by the columnar evaluator, at each as-of date a condition is asked at (a snapshot KPI with history: each
/// snapshot's day). A condition the columnar evaluator does not cover, and every condition of a batch whose rows
/// did not make typed columns, is left to the row evaluator (`holds` answers nil).
final class BatchConditions {
    /// Records per batch: large enough that a loop per operator pays, small enough to stay in cache.
    static let batchSize = 4096

    private let evaluators: [ColumnarEvaluator?]
    private let asOfs: [[Day]]
    private let builder: ColumnBatch.Builder
    /// Where each covered condition's rows start in `truths`: one run of `batchSize` per as-of date, then one
    /// run saying whether the row holds at any of them (so that a record that matches no snapshot is skipped
    /// at once). −1 for a condition left to the row evaluator.
    private let offsets: [Int]
    /// Where each covered condition's "holds at any as-of date" run starts in `truths`.
    private let anyOffsets: [Int]
    /// Every covered condition's results for the current batch, in one buffer: read once per record per KPI,
    /// so it is a plain pointer (no reference counting, no exclusivity checks on the hot path).
    private let truths: UnsafeMutableBufferPointer<Bool>

    /// One entry per condition: its typed form (nil: not covered) and the as-of dates it is asked at. `nodes` is the
    /// pass's shared node table; `extraFields` are the fields other columnar work of the pass reads (the folds'
    /// dates, arguments and groups), so that the batch holds them too.
    init(
        _ conditions: [(expression: TypedRecordExpression?, asOfs: [Day])],
        nodes: ColumnarNodeTable = ColumnarNodeTable(), extraFields: [Int: ExprType] = [:]
    ) {
        evaluators = conditions.map { condition in condition.expression.flatMap { ColumnarEvaluator($0, nodes: nodes) }
        }
        asOfs = conditions.map(\.asOfs)
        var fields = extraFields
        var offsets: [Int] = []
        var anyOffsets: [Int] = []
        var size = 0
        for (evaluator, condition) in zip(evaluators, conditions) {
            guard let evaluator else {
                offsets.append(-1)
                anyOffsets.append(-1)
                continue
            }
            fields.merge(evaluator.fields) { first, _ in first }
            offsets.append(size)
            anyOffsets.append(size + condition.asOfs.count * Self.batchSize)
            size += (condition.asOfs.count + 1) * Self.batchSize
        }
        self.offsets = offsets
        self.anyOffsets = anyOffsets
        builder = ColumnBatch.Builder(fields: fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        truths = .allocate(capacity: max(size, 1))
        truths.initialize(repeating: false)
    }

    deinit { truths.deallocate() }

    /// Whether any condition is columnar at all (else batching the records buys nothing, unless a fold needs them).
    var isUseful: Bool { evaluators.contains { $0 != nil } }

    /// Whether the batches hold any column.
    var readsFields: Bool { !builder.fields.isEmpty }

    /// Evaluates every covered condition over the rows, and gives their batch; nil when they did not make one.
    @discardableResult
    func evaluate(_ rows: ArraySlice<[Value]>) -> ColumnBatch? {
        precondition(rows.count <= Self.batchSize, "a batch of more than \(Self.batchSize) records")
        guard let batch = builder.build(rows) else { return nil }
        for (index, evaluator) in evaluators.enumerated() {
            guard let evaluator else { continue }
            let any = anyOffsets[index]
            for row in 0..<rows.count { truths[any + row] = false }
            for (position, asOf) in asOfs[index].enumerated() {
                guard case .truth(let results) = evaluator.evaluate(batch, asOf: asOf) else {
                    preconditionFailure("a where condition evaluated to a non-boolean column")
                }
                let start = offsets[index] + position * Self.batchSize
                for row in 0..<rows.count {
                    // Null is false, as in `where`.
                    let holds = results[row] == .true
                    truths[start + row] = holds
                    if holds { truths[any + row] = true }
                }
            }
        }
        return batch
    }

    /// Whether condition `index` is decided here, in a batch `evaluate` accepted (else the row evaluator decides).
    @inline(__always)
    func covers(_ index: Int) -> Bool { offsets[index] >= 0 }

    /// Whether covered condition `index` holds for the batch's `row` at its `position`-th as-of date.
    @inline(__always)
    func holds(_ index: Int, asOf position: Int, row: Int) -> Bool {
        truths[offsets[index] + position * Self.batchSize + row]
    }

    /// Whether covered condition `index` holds for the batch's `row` at any of its as-of dates.
    @inline(__always)
    func holdsAnywhere(_ index: Int, row: Int) -> Bool {
        truths[anyOffsets[index] + row]
    }
}
