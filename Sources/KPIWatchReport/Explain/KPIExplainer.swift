import Foundation
import KPIWatchCore
import KPIWatchEngine
import KPIWatchExpressions

/// Works out an `Explanation`: reads the KPI's dataset again and keeps the records that pass its `where`, fall in
/// the period and belong to the group, exactly as the evaluation counts them; folds them into the KPI's aggregates
/// once more, so the explanation carries the value it gives.
public struct KPIExplainer {
    let engine: Engine
    let project: LoadedProject
    let evaluation: Evaluation

    public static let withheld = "(withheld: personal)"

    public init(engine: Engine, project: LoadedProject, evaluation: Evaluation) {
        self.engine = engine
        self.project = project
        self.evaluation = evaluation
    }

    /// The KPI `id`, or an error that says what `id` is instead (a case alert, a misspelt id).
    static func kpi(_ id: String, in project: LoadedProject) throws -> CompiledKPI {
        let compiled = project.compiled
        if let kpi = compiled.kpis.first(where: { $0.rule.id == id }) { return kpi }
        if compiled.caseAlertIDs.contains(id) {
            throw Diagnostic(
                "'\(id)' is a case alert, not a KPI", hint: "its cases are listed by kpiwatch check --only \(id)")
        }
        throw Diagnostic(
            "unknown KPI '\(id)'",
            hint: nearestName(to: id, in: compiled.kpiIDs).map { "did you mean '\($0)'?" }
                ?? "kpiwatch check lists every KPI")
    }

    /// The KPIs an evaluation must compute to explain `id`: it and every KPI it is built on, however deep.
    /// - Throws: `Diagnostic` when `id` is no KPI.
    public static func evaluated(for id: String, in project: LoadedProject) throws -> [String] {
        let kpis = project.compiled.kpis
        let start = try kpi(id, in: project).slot
        var seen: Set<Int> = [start]
        var stack = [start]
        while let slot = stack.popLast() {
            for next in kpis[slot].referenceSlots where seen.insert(next).inserted { stack.append(next) }
        }
        return seen.sorted().map { kpis[$0].rule.id }
    }

    /// - Parameters:
    ///   - period: a period label as `check` prints it; nil for the current period.
    ///   - group: every `group_by` field of the KPI with its value; empty for the overall value.
    /// - Throws: `Diagnostic` for an unknown KPI, period, group field or group, and when the dataset cannot be read.
    public func explain(
        _ id: String, period: String? = nil, group: [String: String] = [:], showPersonal: Bool = false
    ) throws -> Explanation {
        let kpi = try Self.kpi(id, in: project)
        let groupFields = try checkedGroup(group, kpi: kpi)
        let series = evaluation.results.filter { $0.id == id && $0.groupDictionary == groupFields }
        let overall = evaluation.results.filter { $0.id == id && $0.group.isEmpty }
        guard let result = try pick(period, in: series, overall: overall, kpi: kpi, group: group) else {
            throw Diagnostic("KPI '\(id)' has no value for the group \(Self.describe(group))")
        }
        var explanation = Explanation(
            id: id, title: kpi.rule.title, unit: kpi.rule.unit, period: result.period,
            periodStart: result.periodStart, periodEnd: result.periodEnd, group: result.group, value: result.value,
            count: result.count, state: result.state, expression: kpi.rule.value.text, dataset: kpi.dataset,
            columns: [], records: [], conditions: [], masked: [], inputs: [], recomputed: nil, arithmetic: nil)
        explanation.inputs = inputs(of: kpi, at: result)
        let slots = inputSlots(kpi, explanation.inputs)
        if kpi.dataset != nil {
            try addRecords(
                kpi, period: result.period, group: groupFields, showPersonal: showPersonal, slots: slots,
                to: &explanation)
        } else {
            let context = EvalContext(asOf: evaluation.asOf, slots: slots)
            if let period = plan(kpi).periods.first(where: { $0.label == result.period }) {
                setPeriod(period, kind: plan(kpi).kind, context)
            }
            explanation.recomputed = kpi.value.evaluate(context).double
        }
        if !explanation.inputs.isEmpty { explanation.arithmetic = arithmetic(kpi, explanation.inputs) }
        return explanation
    }

    // MARK: - Which value

    private func checkedGroup(_ group: [String: String], kpi: CompiledKPI) throws -> [String: String] {
        for field in group.keys.sorted() where !kpi.groupFields.contains(field) {
            throw Diagnostic(
                "KPI '\(kpi.rule.id)' is not grouped by '\(field)'",
                hint: kpi.groupFields.isEmpty
                    ? "it has only an overall value: leave --group out"
                    : "its groups are by \(kpi.groupFields.joined(separator: ", "))")
        }
        if !group.isEmpty, let missing = kpi.groupFields.first(where: { group[$0] == nil }) {
            throw Diagnostic(
                "--group must give every field the KPI is grouped by; '\(missing)' is missing",
                hint: "e.g. " + kpi.groupFields.map { "\($0)=…" }.joined(separator: " "))
        }
        return group
    }

    private func pick(
        _ period: String?, in series: [KPIResult], overall: [KPIResult], kpi: CompiledKPI, group: [String: String]
    ) throws -> KPIResult? {
        let label = period ?? (overall.first(where: \.current) ?? overall.last)?.period
        if let found = series.first(where: { $0.period == label }) { return found }
        let labels = overall.map(\.period)
        if let label, labels.contains(label) {
            let groups = evaluation.results.filter { $0.id == kpi.rule.id && $0.period == label && !$0.group.isEmpty }
                .map { $0.group.map { "\($0.name)=\($0.text)" }.joined(separator: " ") }
            throw Diagnostic(
                "KPI '\(kpi.rule.id)' has no value for \(Self.describe(group)) in \(label)",
                hint: groups.isEmpty
                    ? "no record passes its 'where' in that period"
                    : "the groups with a value then: \(groups.joined(separator: ", "))")
        }
        guard let period else { return nil }
        throw Diagnostic(
            "KPI '\(kpi.rule.id)' has no period '\(period)'",
            hint: "its periods: \(labels.joined(separator: ", "))")
    }

    static func describe(_ group: [String: String]) -> String {
        group.isEmpty ? "the overall value" : group.keys.sorted().map { "\($0)=\(group[$0]!)" }.joined(separator: " ")
    }

    private func plan(_ kpi: CompiledKPI) -> PeriodPlan {
        KPIFinalizer.plan(
            for: kpi, calendar: PeriodCalendar(asOf: evaluation.asOf, yearStart: project.config.yearStart))
    }

    // MARK: - Records

    private func addRecords(
        _ kpi: CompiledKPI, period label: String, group: [String: String], showPersonal: Bool, slots: [Value],
        to explanation: inout Explanation
    ) throws {
        guard let dataset = project.config.dataset(named: kpi.dataset!),
            let period = plan(kpi).periods.first(where: { $0.label == label })
        else { return }
        let fields = dataset.fields
        let key = fields.firstIndex(where: \.key)
        var read = Set(kpi.whereClause?.referencedFields ?? [])
        read.formUnion(kpi.date?.referencedFields ?? [])
        read.formUnion(kpi.groupFields)
        for call in kpi.aggregates { read.formUnion(call.argument?.referencedFields ?? []) }
        let shown = fields.indices.filter { $0 != key && read.contains(fields[$0].name) }
        let conditions = kpi.aggregates.indices.filter {
            [.count, .percent].contains(kpi.aggregates[$0].kind) && kpi.aggregates[$0].argument != nil
        }
        // An argument that is a field already shown (`count_distinct(case_id)`) needs no column of its own.
        let arguments = kpi.aggregates.indices.filter { index in
            guard !conditions.contains(index), let argument = kpi.aggregates[index].argument else { return false }
            return !(argument.isBareField && read.union(key.map { [fields[$0].name] } ?? []).contains(argument.text))
        }
        explanation.columns =
            [key.map { fields[$0].name } ?? "row"] + shown.map { fields[$0].name }
            + conditions.indices.map { $0 == 0 ? "met" : "met_\($0 + 1)" } + arguments.map { kpi.aggregates[$0].text }
        explanation.masked =
            showPersonal ? [] : ([key].compactMap { $0 } + shown).filter { fields[$0].personal }.map { fields[$0].name }
        var met = Array(repeating: 0, count: conditions.count)
        var probabilities: [Double]? = Self.sumsProbabilities(kpi) ? [] : nil
        var bucket = Bucket(kpi.aggregates)
        let context = EvalContext(asOf: kpi.evaluatesPerPeriod ? period.asOf : evaluation.asOf)
        context.forecasts = try engine.trainedForecasts(project, asOf: evaluation.asOf, only: [kpi.rule.id])
        let groupIndexes = zip(kpi.groupFields, kpi.groupIndexes).map { ($0, $1) }
        let reader = DatasetReader(
            dataset: dataset, source: try engine.sources.makeSource(for: dataset, in: project.config))
        _ = try reader.read { row, number in
            context.row = row
            if let condition = kpi.whereClause, !condition.isTrue(context) { return }
            if let date = kpi.date {
                guard case .date(let day) = date.evaluate(context), period.contains(day) else { return }
            }
            for (name, index) in groupIndexes where !group.isEmpty {
                if GroupField(name: name, value: row[index]).text != group[name] { return }
            }
            // The same fold as the evaluation's: the records listed give the value shown.
            bucket.records += 1
            for (position, call) in kpi.aggregates.enumerated() {
                let value = call.argument?.evaluate(context) ?? .bool(true)
                bucket.accumulators[position].add(value)
                if let p = value.double { probabilities?.append(p) }
            }
            var line: [Value] = [key.map { row[$0] } ?? .int(number)]
            line += shown.map { fields[$0].personal && !showPersonal ? .string(Self.withheld) : row[$0] }
            for (position, index) in conditions.enumerated() {
                let holds = kpi.aggregates[index].argument!.isTrue(context)
                if holds { met[position] += 1 }
                line.append(.bool(holds))
            }
            line += arguments.map { kpi.aggregates[$0].argument!.evaluate(context) }
            explanation.records.append(line)
        }
        explanation.conditions = conditions.enumerated().map { position, index in
            Explanation.Condition(
                text: kpi.aggregates[index].text, column: explanation.columns[1 + shown.count + position],
                met: met[position])
        }
        let values = EvalContext(asOf: evaluation.asOf, slots: slots)
        values.aggregates = zip(bucket.accumulators, kpi.aggregates).map { $0.result($1, records: bucket.records) }
        setPeriod(period, kind: plan(kpi).kind, values)
        explanation.recomputed = kpi.value.evaluate(values).double
        explanation.expectedCount = probabilities.map { ExpectedCount(probabilities: $0) }
    }

    /// Whether the value is exactly `sum(breach_probability("ID"))`: a count of breaches to expect, whose
    /// records' probabilities give its interval (another expression of them, such as a share, would not).
    static func sumsProbabilities(_ kpi: CompiledKPI) -> Bool {
        guard kpi.aggregates.count == 1, let call = kpi.aggregates.first, call.kind == .sum,
            let argument = call.argument?.text
        else { return false }
        let bare = { (text: String) in text.filter { !$0.isWhitespace } }
        return bare(argument).hasPrefix(ForecastFunction.breachProbability + "(")
            && bare(argument).hasSuffix(")") && bare(kpi.rule.value.text) == bare(call.text)
    }

    // MARK: - KPIs built on KPIs

    /// Each referenced KPI's value for the same period (and group, where it is grouped the same way), as the
    /// evaluation took it: a snapshot or `all` KPI is its one value in every period.
    private func inputs(of kpi: CompiledKPI, at result: KPIResult) -> [Explanation.Input] {
        kpi.referenceSlots.map { slot in
            let other = project.compiled.kpis[slot]
            let sameGroup = other.groupFields == kpi.groupFields ? result.groupDictionary : [:]
            let series = evaluation.results.filter { $0.id == other.rule.id && $0.groupDictionary == sameGroup }
            let overall = evaluation.results.filter { $0.id == other.rule.id && $0.group.isEmpty }
            let constant = overall.count == 1 || other.rule.period == .all
            let chosen = series.first { $0.period == result.period } ?? (constant ? series.last : nil)
            return Explanation.Input(
                id: other.rule.id, title: other.rule.title, period: chosen?.period, value: chosen?.value,
                unit: other.rule.unit)
        }
    }

    private func inputSlots(_ kpi: CompiledKPI, _ inputs: [Explanation.Input]) -> [Value] {
        var slots = Array(repeating: Value.null, count: project.compiled.kpis.count + PeriodVariable.allCases.count)
        for (slot, input) in zip(kpi.referenceSlots, inputs) { slots[slot] = input.value.map(Value.number) ?? .null }
        return slots
    }

    private func setPeriod(_ period: Period, kind: PeriodKind, _ context: EvalContext) {
        for (offset, value) in PeriodVariable.values(of: period, kind: kind).enumerated() {
            context.slots[project.compiled.kpis.count + offset] = value
        }
        context.asOf = period.asOf
    }

    /// `value:` with every `kpi.ID` written as its value (longest ids first, so `kpi.a_b` is not read as `kpi.a`).
    private func arithmetic(_ kpi: CompiledKPI, _ inputs: [Explanation.Input]) -> String {
        var text = kpi.rule.value.text
        for input in inputs.sorted(by: { $0.id.count > $1.id.count }) {
            let number = input.value.map { KPIExportContext.number($0) } ?? "null"
            text = text.replacingOccurrences(of: "kpi.\(input.id)", with: number)
        }
        return text
    }
}
