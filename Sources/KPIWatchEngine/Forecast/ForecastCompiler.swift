import KPIWatchCore
import KPIWatchExpressions

/// Checks a forecast against its dataset: every clock and stage field a date field, `by` a field,
/// `where` a condition over the record; and its `workload:` staff dataset and FTE field.
enum ForecastCompiler {
    static func compile(
        _ rule: ForecastRule, slot: Int, schemas: [String: DatasetSchema], benchmarks: [String: Value]
    ) throws -> CompiledForecast {
        let schema = try RuleCompiler.schema(for: rule.dataset, in: schemas, rule: rule.id)
        var diagnostics = DiagnosticCollector()
        let subject = "forecast '\(rule.id)'"
        func field(_ name: LocatedName, role: String, date: Bool) -> Int? {
            guard let index = schema.index[name.name] else {
                diagnostics.add(
                    Diagnostic(
                        "\(role) of \(subject) names '\(name.name)', which is not a field of dataset '\(schema.config.name)'",
                        at: name.location,
                        hint: suggestion(for: name.name, in: schema.config.fields.map(\.name), noun: "fields")))
                return nil
            }
            let type = schema.config.fields[index].type
            if date, type != .date {
                diagnostics.add(
                    Diagnostic(
                        "\(role) of \(subject) must be a date field; '\(name.name)' is \(type)", at: name.location,
                        hint: "date fields of '\(schema.config.name)': "
                            + schema.config.fields.filter { $0.type == .date }.map(\.name).joined(separator: ", ")))
                return nil
            }
            return index
        }
        let start = field(rule.start, role: "'start'", date: true)
        let ends = rule.ends.map { field($0, role: "'end'", date: true) }
        let stages = rule.stages.map { field($0, role: "'stages'", date: true) }
        let by = rule.by.map { field($0, role: "'by'", date: false) }
        let recordedLate = rule.recordedLate.map { field($0, role: "'recorded_late'", date: false) }
        let scope = ExpressionScope(fields: schema.scopeFields, benchmarks: benchmarks)
        let whereClause = rule.whereClause.flatMap { text in
            diagnostics.capture { try ExpressionCompiler.compile(text, in: scope, expecting: .bool).expression }
        }
        if let workload = rule.workload { checkWorkload(workload, subject: subject, schemas: schemas, &diagnostics) }
        try diagnostics.throwIfAny()
        return CompiledForecast(
            rule: rule, slot: slot, keyIndex: schema.config.fields.firstIndex { $0.key }, startIndex: start!,
            endIndexes: ends.map { $0! }, stageIndexes: stages.map { $0! }, byIndex: by ?? nil,
            whereClause: whereClause, recordedLateIndexes: recordedLate.map { $0! })
    }

    private static func checkWorkload(
        _ workload: WorkloadRule, subject: String, schemas: [String: DatasetSchema],
        _ diagnostics: inout DiagnosticCollector
    ) {
        guard let staff = workload.staff else {
            if workload.fte != nil || workload.staffWhere != nil {
                diagnostics.add(
                    Diagnostic(
                        "'workload' of \(subject) has no 'staff'", at: workload.location,
                        hint: "name the dataset of officers, e.g. staff: staff"))
            }
            return
        }
        guard let schema = diagnostics.capture({ try RuleCompiler.schema(for: staff, in: schemas, rule: subject) })
        else { return }
        guard let fte = workload.fte else {
            diagnostics.add(
                Diagnostic(
                    "'workload' of \(subject) has no 'fte'", at: workload.location,
                    hint: "name the FTE field of '\(staff.name)', e.g. fte: fte"))
            return
        }
        if let index = schema.index[fte.name] {
            let type = schema.config.fields[index].type
            if type != .number && type != .int {
                diagnostics.add(
                    Diagnostic("'fte' of \(subject) must be a number field; '\(fte.name)' is \(type)", at: fte.location)
                )
            }
        } else {
            diagnostics.add(
                Diagnostic(
                    "'fte' of \(subject) names '\(fte.name)', which is not a field of dataset '\(staff.name)'",
                    at: fte.location,
                    hint: suggestion(for: fte.name, in: schema.config.fields.map(\.name), noun: "fields")))
        }
        if let text = workload.staffWhere {
            let scope = ExpressionScope(fields: schema.scopeFields)
            diagnostics.capture { _ = try ExpressionCompiler.compile(text, in: scope, expecting: .bool) }
        }
    }
}
