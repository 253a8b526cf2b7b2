import KPIWatchCore
import KPIWatchExpressions

/// The columnar side of one dataset pass: the `where` conditions decided over each batch (`BatchConditions`, for the
/// KPIs folded row by row and the case alerts), and the KPIs accumulated straight from the batch's columns
/// (`PeriodFold`, `SnapshotFold`), with what they share built once: one node table (common subexpressions), one
/// `GroupCoder` (group keys), one `BasePeriods` per `date:` expression.
final class ColumnarPass {
    let conditions: BatchConditions
    /// Per KPI (by its position in the pass's accumulations): how it is evaluated.
    let plans: [ColumnarPlan]
    private let periodFolds: [PeriodFold]
    private let snapshotFolds: [SnapshotFold]
    private let basePeriods: [BasePeriods]
    private let groups: GroupCoder
    /// The positions of the KPIs the folds accumulate (the row-by-row loop skips them in a batch that was built).
    let folded: Set<Int>

    /// With `enabled` off, nothing is columnar: every condition is decided and every KPI folded row by row (the
    /// oracle the columnar evaluator is tested against).
    init(
        enabled: Bool, dataset: DatasetConfig, accumulations: [KPIAccumulation], caseAlerts: [CompiledCaseAlert],
        calendar: PeriodCalendar, benchmarks: [String: Value]
    ) {
        guard enabled else {
            conditions = BatchConditions([])
            (periodFolds, snapshotFolds, basePeriods, groups) = ([], [], [], GroupCoder())
            plans = accumulations.map { _ in
                ColumnarPlan(path: .rowByRow(reason: "columnar evaluation is off"), arguments: [])
            }
            folded = []
            return
        }
        let fields = DatasetSchema(dataset).scopeFields
        let nodes = ColumnarNodeTable()
        let plans = accumulations.map {
            ColumnarPlan.decide($0.kpi, fields: fields, benchmarks: benchmarks, origin: dataset.name)
        }
        var extraFields: [Int: ExprType] = [:]
        var basePeriodsByDate: [TypedRecordExpression: BasePeriods] = [:]
        var folded: Set<Int> = []
        var periodFolds: [PeriodFold] = []
        var snapshotFolds: [SnapshotFold] = []
        let groups = GroupCoder()
        for (position, (plan, accumulation)) in zip(plans, accumulations).enumerated() {
            let kpi = accumulation.kpi
            func evaluator(_ e: TypedRecordExpression?) -> ColumnarEvaluator? {
                e.flatMap { ColumnarEvaluator($0, nodes: nodes) }
            }
            /// Only the folded KPIs' groups are coded.
            func groupList() -> Int? {
                guard !kpi.groupIndexes.isEmpty else { return nil }
                for (index, name) in zip(kpi.groupIndexes, kpi.groupFields) {
                    extraFields[index] = ExprType(fields[name]!.type)
                }
                return groups.register(kpi.groupIndexes)
            }
            switch plan.path {
            case .periods:
                var periods: BasePeriods?
                if let date = plan.date {
                    periods = basePeriodsByDate[date] ?? BasePeriods(date: evaluator(date)!, asOf: calendar.asOf)
                    basePeriodsByDate[date] = periods
                    periods!.register(accumulation.plan)
                    extraFields.merge(date.fields) { first, _ in first }
                }
                let arguments = zip(kpi.aggregates, plan.arguments).map { call, argument -> ColumnarArgument in
                    guard let argument else { return .none }
                    extraFields.merge(argument.fields) { first, _ in first }
                    return call.kind == .count || call.kind == .percent
                        ? .condition(evaluator(argument)!) : .value(evaluator(argument)!)
                }
                extraFields.merge(plan.condition?.fields ?? [:]) { first, _ in first }
                periodFolds.append(
                    PeriodFold(
                        position: position, plan: accumulation.plan, condition: evaluator(plan.condition),
                        periods: periods, arguments: arguments, groupList: groupList(), asOf: calendar.asOf))
                folded.insert(position)
            case .snapshots:
                func intervals(_ interval: AsOfInterval?) -> AsOfIntervalEvaluator? {
                    guard let interval else { return nil }
                    let evaluator = AsOfIntervalEvaluator(interval, nodes: nodes, asOf: calendar.asOf)!
                    extraFields.merge(evaluator.fields) { first, _ in first }
                    return evaluator
                }
                extraFields.merge(plan.date?.fields ?? [:]) { first, _ in first }
                guard
                    let fold = SnapshotFold(
                        position: position, plan: accumulation.plan, condition: intervals(plan.interval),
                        date: evaluator(plan.date), hits: plan.hitIntervals.map(intervals), groupList: groupList(),
                        asOf: calendar.asOf)
                else { continue }
                snapshotFolds.append(fold)
                folded.insert(position)
            case .perSnapshot, .rowByRow:
                continue
            }
        }
        self.basePeriods = Array(basePeriodsByDate.values)
        for fold in periodFolds { fold.prepare() }
        self.periodFolds = periodFolds
        self.snapshotFolds = snapshotFolds
        self.groups = groups
        self.folded = folded
        self.plans = plans
        // The folded KPIs' conditions are their folds' own; the rest are decided here for the row-by-row loop.
        let kpiConditions = zip(plans, accumulations).enumerated().map {
            position, pair -> (TypedRecordExpression?, [Day]) in
            let (plan, accumulation) = pair
            if folded.contains(position) { return (nil, []) }
            let asOfs =
                accumulation.kpi.evaluatesPerPeriod ? accumulation.plan.periods.map(\.asOf) : [calendar.asOf]
            return (plan.condition, asOfs)
        }
        let alertConditions = caseAlerts.map { alert -> (TypedRecordExpression?, [Day]) in
            let text = LocatedText(
                alert.whereClause.text, origin: TextOrigin(file: dataset.name, line: 1, column: 1))
            return (TypedRecordExpression.lower(text, fields: fields, benchmarks: benchmarks), [calendar.asOf])
        }
        conditions = BatchConditions(kpiConditions + alertConditions, nodes: nodes, extraFields: extraFields)
    }

    /// Whether records are worth batching (some condition is columnar or some KPI is folded).
    var isUseful: Bool { conditions.isUseful || !folded.isEmpty }

    /// Decides the conditions over `rows` and folds them into the folded KPIs' accumulations; nil when the rows did
    /// not make a batch (then every KPI takes them row by row).
    func add(_ rows: ArraySlice<[Value]>, into accumulations: inout [KPIAccumulation]) -> ColumnBatch? {
        guard let batch = conditions.evaluate(rows) else { return nil }
        groups.code(batch)
        for periods in basePeriods { periods.place(batch) }
        for fold in periodFolds { fold.add(batch, groups: groups, into: &accumulations[fold.position]) }
        for fold in snapshotFolds { fold.add(batch, groups: groups, into: &accumulations[fold.position]) }
        return batch
    }

    /// Adds the folds' counts into their accumulations, at the end of the pass.
    func finish(into accumulations: inout [KPIAccumulation]) {
        for fold in periodFolds { fold.finish(into: &accumulations[fold.position]) }
        for fold in snapshotFolds { fold.finish(into: &accumulations[fold.position]) }
    }
}
