import KPIWatchCore

/// The aggregates of a KPI's `value:` (RULES.md §2). They skip nulls, as SQL does.
public enum AggregateKind: String, Sendable, CaseIterable {
    case count, percent, sum, avg, min, max, median, percentile
    case countDistinct = "count_distinct"

    package var arity: ClosedRange<Int> {
        switch self {
        case .count: return 0...1
        case .percentile: return 2...2
        default: return 1...1
        }
    }

    package var usage: String {
        switch self {
        case .count: return "count(): the records; count(condition): the records where it holds"
        case .percent: return "percent(condition): 100 × records where it holds ÷ records"
        case .sum: return "sum(x): the total of x"
        case .avg: return "avg(x): the mean of x"
        case .min: return "min(x): the smallest x (a number or a date)"
        case .max: return "max(x): the largest x (a number or a date)"
        case .median: return "median(x): the middle x"
        case .percentile: return "percentile(x, p): the p-th percentile of x, p a number from 0 to 100"
        case .countDistinct: return "count_distinct(x): the number of different values of x"
        }
    }
}

/// One aggregate found in a KPI's value. The evaluator computes it over the period's records and
/// stores the result in `EvalContext.aggregates[i]` before evaluating the value itself.
public struct AggregateCall: Sendable {
    public let kind: AggregateKind
    /// nil for `count()`; the condition for `count(cond)` / `percent(cond)`; else `x`.
    public let argument: CompiledExpression?
    /// `p` of `percentile(x, p)`.
    public let parameter: Double?
    /// As written, e.g. `percent(days_between(request_date, final_plan_date) <= 140)`.
    public let text: String
}

extension TypeChecker {
    package func checkAggregate(_ kind: AggregateKind, _ nodes: [ExprNode], _ node: ExprNode) -> Typed? {
        let name = kind.rawValue
        var allowed = true
        if !scope.allowAggregates {
            let hint: String
            switch kind {
            case .min: hint = "for the smallest of several values use min_of(…)"
            case .max: hint = "for the largest of several values use max_of(…)"
            default: hint = "here use fields, 'value' or kpi.ID; summarise records in a KPI's value"
            }
            error("aggregates such as count(…) are only allowed in a KPI's value", at: node.offset, hint: hint)
            allowed = false
        } else if let outer = enclosingAggregate {
            error(
                "an aggregate cannot be inside another aggregate: '\(name)' inside '\(outer)'", at: node.offset,
                hint: "aggregate the record's fields directly, e.g. \(outer)(x)")
            allowed = false
        }
        // The argument is checked even when the call is wrong, so that its own errors are reported too.
        let outerReferences = references
        let outerAggregate = enclosingAggregate
        references = References()
        enclosingAggregate = outerAggregate ?? name
        let checked = nodes.map { check($0) }
        let argumentReferences = references
        references = outerReferences
        references.merge(argumentReferences)
        enclosingAggregate = outerAggregate

        guard allowed, checkArity(name, kind.arity, nodes.count, node, hint: kind.usage) else { return nil }
        let arguments = checked.compactMap { $0 }
        guard arguments.count == checked.count else { return nil }

        var resultType = ExprType.int
        var parameter: Double?
        if let argument = arguments.first {
            let type = argument.type
            switch kind {
            case .count, .percent:
                guard type.fits(.bool) else {
                    error(
                        "\(name) needs a condition; got \(type)", at: nodes[0].offset,
                        hint: "\(name)(x) counts records where x holds; to count values write \(name)(x is not null)")
                    return nil
                }
                resultType = kind == .count ? .int : .number
            case .sum, .avg, .median, .percentile:
                guard type.fits(.number) else {
                    error("\(name) needs a number; got \(type)", at: nodes[0].offset, hint: kind.usage)
                    return nil
                }
                resultType = kind == .sum && type != .number ? .int : .number
            case .min, .max:
                guard type.fits(.number) || type == .date else {
                    error("\(name) needs a number or a date; got \(type)", at: nodes[0].offset, hint: kind.usage)
                    return nil
                }
                resultType = type == .null ? .int : type
            case .countDistinct:
                resultType = .int
            }
        }
        if kind == .percentile {
            guard let p = percentileParameter(nodes[1]) else { return nil }
            parameter = p
        }
        let argument = nodes.first.map { argumentNode in
            CompiledExpression(
                type: arguments[0].type, text: text(of: argumentNode), evaluator: arguments[0].evaluator,
                references: argumentReferences, isBareField: isBareField(argumentNode))
        }
        let written = text(of: node)
        let index: Int
        if let existing = aggregateIndexByText[written] {
            index = existing
        } else {
            index = aggregates.count
            aggregates.append(AggregateCall(kind: kind, argument: argument, parameter: parameter, text: written))
            aggregateIndexByText[written] = index
        }
        return Typed(type: resultType) { $0.aggregates.indices.contains(index) ? $0.aggregates[index] : .null }
    }

    private func percentileParameter(_ node: ExprNode) -> Double? {
        let p: Double?
        switch node.kind {
        case .literal(.int(let value)): p = Double(value)
        case .literal(.number(let value)): p = value
        default: p = nil
        }
        guard let p, (0...100).contains(p) else {
            error(
                "percentile needs p written as a number from 0 to 100", at: node.offset,
                hint: "e.g. percentile(days_between(request_date, final_plan_date), 90)")
            return nil
        }
        return p
    }
}
