import KPIWatchCore
import KPIWatchExpressions

/// How the in-process pass evaluates one KPI, and why when it cannot take the columnar path: the same decision
/// for a run (`DatasetPass`) and for `check --explain-plan`.
package struct ColumnarPlan {
    package enum Path: Equatable {
        /// Folded from column batches into base periods; `counting`: counts and percents added up per period.
        case periods(counting: Bool)
        /// A snapshot with history from each record's run of as-of dates, with difference arrays.
        case snapshots
        /// A snapshot with history whose `where` is decided over column batches at each snapshot's day, then folded
        /// record by record.
        case perSnapshot(reason: String)
        /// Every record through the row evaluator.
        case rowByRow(reason: String)
    }

    package var path: Path
    var condition: TypedRecordExpression?
    var date: TypedRecordExpression?
    var arguments: [TypedRecordExpression?]
    var interval: AsOfInterval?
    var hitIntervals: [AsOfInterval?] = []

    /// What `check --explain-plan` says of the path.
    package var description: String {
        switch path {
        case .periods(true): return "columnar: counted per base period, periods added up from them"
        case .periods(false): return "columnar: folded record by record into each period, from column batches"
        case .snapshots: return "columnar: snapshots from each record's run of as-of dates (difference arrays)"
        case .perSnapshot(let reason):
            return "where decided per snapshot over column batches, then row by row: \(reason)"
        case .rowByRow(let reason): return "folded row by row: \(reason)"
        }
    }

    /// The path of `kpi` over a dataset with `fields`; `origin` names the dataset in the expressions' locations.
    package static func decide(
        _ kpi: CompiledKPI, fields: [String: ExpressionScope.Field], benchmarks: [String: Value], origin: String
    ) -> ColumnarPlan {
        func lowered(_ expression: CompiledExpression) -> TypedRecordExpression? {
            let text = LocatedText(expression.text, origin: TextOrigin(file: origin, line: 1, column: 1))
            return TypedRecordExpression.lower(text, fields: fields, benchmarks: benchmarks)
        }
        func typed(_ expression: CompiledExpression) -> TypedRecordExpression? {
            guard let lowered = lowered(expression), ColumnarEvaluator(lowered) != nil else { return nil }
            return lowered
        }
        /// Why `expression` is not computed over column batches. The typed form also holds functions that only the
        /// row evaluator computes (it is what the SQL translator reads), so "outside the typed form" is not always
        /// the reason.
        func whyNot(_ expression: CompiledExpression) -> String {
            if let function = lowered(expression)?.uncomputedFunction {
                return "calls \(function.rawValue)(…), which the columnar evaluator does not compute"
            }
            return "is outside the columnar evaluator's typed form"
        }
        var plan = ColumnarPlan(path: .periods(counting: true), condition: nil, date: nil, arguments: [])
        let condition = kpi.whereClause.map(typed)
        plan.condition = condition ?? nil
        func refuse(_ reason: String) -> ColumnarPlan {
            var refused = plan
            refused.path =
                kpi.evaluatesPerPeriod && plan.condition != nil
                ? .perSnapshot(reason: reason) : .rowByRow(reason: reason)
            return refused
        }
        if let clause = kpi.whereClause, plan.condition == nil {
            return refuse("its where '\(clause.text)' \(whyNot(clause))")
        }
        if let date = kpi.date {
            guard let typedDate = typed(date) else {
                return refuse("its date '\(date.text)' \(whyNot(date))")
            }
            plan.date = typedDate
        }
        for call in kpi.aggregates {
            guard let argument = call.argument else {
                plan.arguments.append(nil)
                continue
            }
            guard let typedArgument = typed(argument) else {
                return refuse("the argument of '\(call.text)' \(whyNot(argument))")
            }
            plan.arguments.append(typedArgument)
        }
        let counting = kpi.aggregates.allSatisfy { $0.kind == .count || $0.kind == .percent }
        guard kpi.evaluatesPerPeriod else {
            plan.path = .periods(counting: counting)
            return plan
        }
        // A snapshot with history: every part that reads as_of must become runs of as-of dates.
        guard counting else {
            return refuse("its aggregates are not all counts and percents, which each snapshot's records must give")
        }
        if let date = plan.date, date.usesAsOf { return refuse("its date reads as_of") }
        if let condition = plan.condition {
            switch AsOfInterval.rewrite(condition) {
            case .success(let interval): plan.interval = interval
            case .failure(let refusal): return refuse("in its where, \(refusal.reason)")
            }
        }
        for (call, argument) in zip(kpi.aggregates, plan.arguments) {
            guard let argument else {
                plan.hitIntervals.append(nil)
                continue
            }
            switch AsOfInterval.rewrite(argument) {
            case .success(let interval): plan.hitIntervals.append(interval)
            case .failure(let refusal): return refuse("in '\(call.text)', \(refusal.reason)")
            }
        }
        plan.path = .snapshots
        return plan
    }
}
