import KPIWatchCore
import KPIWatchExpressions

/// Type-checks every rule against the datasets it names and orders KPIs by their references.
/// Reports every error at once, each pointing into the YAML.
public enum RuleCompiler {
    /// Names with a meaning of their own inside a KPI's message.
    package static let messageNames: Set<String> = [
        "value", "previous", "change", "count", "period", "threshold", "severity", "state", "title", "id", "kpi.title",
        "unit",
    ]

    public static func compile(_ rules: RuleSet, project: ProjectConfig) throws -> CompiledRules {
        var diagnostics = DiagnosticCollector()
        var schemas: [String: DatasetSchema] = [:]
        for dataset in project.datasets { schemas[dataset.name] = DatasetSchema(dataset) }
        let benchmarks = BenchmarkList.constants(rules.benchmarks)
        var forecasts: [CompiledForecast] = []
        for (slot, rule) in rules.forecasts.enumerated() {
            if let forecast = diagnostics.capture({
                try ForecastCompiler.compile(rule, slot: slot, schemas: schemas, benchmarks: benchmarks)
            }) {
                forecasts.append(forecast)
            }
            for name in schemas.keys {
                schemas[name]!.forecasts[rule.id] = .init(
                    slot: rule.dataset.name == name ? slot : nil, dataset: rule.dataset.name)
            }
        }
        var slots: [String: Int] = [:]
        for (position, rule) in rules.kpis.enumerated() { slots[rule.id] = position }
        // A KPI left out for a structural error still answers `kpi.ID`, past the end, so that the rules built on
        // it are type-checked without a second error about it; such a load never evaluates.
        for id in rules.unchecked.sorted() where slots[id] == nil { slots[id] = slots.count }

        var kpis: [CompiledKPI] = []
        for (position, rule) in rules.kpis.enumerated() {
            if let kpi = diagnostics.capture({
                try compileKPI(rule, slot: position, schemas: schemas, slots: slots, benchmarks: benchmarks, all: rules)
            }) {
                kpis.append(kpi)
            }
        }
        var caseAlerts: [CompiledCaseAlert] = []
        for rule in rules.caseAlerts {
            if let alert = diagnostics.capture({ try compileCaseAlert(rule, schemas: schemas, benchmarks: benchmarks) })
            {
                caseAlerts.append(alert)
            }
        }
        try diagnostics.throwIfAny()
        let order = try KPIGraph.order(kpis)
        var compiled = CompiledRules(
            schemas: schemas, kpis: kpis, caseAlerts: caseAlerts, benchmarks: rules.benchmarks, order: order)
        compiled.forecasts = forecasts
        return compiled
    }

    package static func schema(
        for name: LocatedName, in schemas: [String: DatasetSchema], rule: String
    ) throws -> DatasetSchema {
        guard let schema = schemas[name.name] else {
            throw Diagnostic(
                "'\(rule)' uses dataset '\(name.name)', which the project file does not define", at: name.location,
                hint: suggestion(for: name.name, in: Array(schemas.keys), noun: "datasets"))
        }
        return schema
    }

    package static func compileKPI(
        _ rule: KPIRule, slot: Int, schemas: [String: DatasetSchema], slots: [String: Int],
        benchmarks: [String: Value], all: RuleSet
    ) throws -> CompiledKPI {
        var diagnostics = DiagnosticCollector()
        var recordScope = ExpressionScope(benchmarks: benchmarks)
        var schema: DatasetSchema?
        if let dataset = rule.dataset {
            schema = diagnostics.capture { try Self.schema(for: dataset, in: schemas, rule: rule.id) }
            if let schema {
                recordScope.fields = schema.scopeFields
                recordScope.forecasts = schema.forecasts
            }
        }
        if let schema {
            if let period = rule.period, period.needsDate, rule.date == nil {
                diagnostics.add(
                    Diagnostic(
                        "KPI '\(rule.id)' has period '\(period.rawValue)' but no 'date' to place records in periods",
                        at: rule.location,
                        hint:
                            "add e.g. 'date: \(schema.config.fields.first { $0.type == .date }?.name ?? "request_date")'"
                    ))
            }
        } else if rule.dataset == nil {
            if rule.whereClause != nil || rule.date != nil {
                diagnostics.add(
                    Diagnostic(
                        "KPI '\(rule.id)' has no dataset, so it cannot have 'where' or 'date'", at: rule.location,
                        hint: "a KPI without dataset is arithmetic over other KPIs (kpi.ID)"))
            }
        }

        let whereClause = rule.whereClause.flatMap { text in
            diagnostics.capture { try ExpressionCompiler.compile(text, in: recordScope, expecting: .bool).expression }
        }
        let date = rule.date.flatMap { text in
            diagnostics.capture { try ExpressionCompiler.compile(text, in: recordScope, expecting: .date).expression }
        }

        var groupIndexes: [Int] = []
        var groupTypes: [String: FieldType] = [:]
        for group in rule.groupBy {
            if let schema {
                guard let index = schema.index[group.name] else {
                    diagnostics.add(
                        Diagnostic(
                            "unknown field '\(group.name)' in group_by of KPI '\(rule.id)'", at: group.location,
                            hint: suggestion(for: group.name, in: Array(schema.index.keys), noun: "fields")))
                    continue
                }
                let field = schema.config.fields[index]
                if field.personal {
                    diagnostics.add(
                        Diagnostic(
                            "field '\(group.name)' is personal and cannot be a group: groups appear in alerts",
                            at: group.location))
                }
                groupIndexes.append(index)
                groupTypes[group.name] = field.type
            } else if rule.dataset == nil {
                groupTypes[group.name] = referencedGroupType(group.name, rule: rule, all: all, schemas: schemas)
            }
        }

        var valueScope = recordScope
        // An unknown dataset is reported once; its KPI is still checked as one over a dataset.
        valueScope.allowAggregates = rule.dataset != nil
        valueScope.kpis = slots
        valueScope.ownKPI = rule.id
        valueScope.variables = PeriodVariable.scope(after: slots.count)
        let compiledValue = diagnostics.capture {
            try ExpressionCompiler.compile(rule.value, in: valueScope, expecting: nil)
        }
        if let compiledValue, !compiledValue.expression.type.isNumeric, compiledValue.expression.type != .null {
            diagnostics.add(
                Diagnostic(
                    "the value of KPI '\(rule.id)' must be a number, not \(compiledValue.expression.type)",
                    at: rule.value.origin.start, hint: "e.g. count(), percent(condition), sum(field)"))
        }

        let thresholdScope = thresholdScope(
            groupTypes: rule.groupBy.map(\.name), types: groupTypes, benchmarks: benchmarks)
        var thresholds: [CompiledThreshold] = []
        for threshold in rule.thresholds {
            if let condition = diagnostics.capture({
                try ExpressionCompiler.compile(threshold.condition, in: thresholdScope, expecting: .bool).expression
            }) {
                thresholds.append(CompiledThreshold(severity: threshold.severity, condition: condition))
            }
        }
        let message = rule.message.flatMap { text in
            diagnostics.capture {
                try compileTemplate(
                    text, scope: thresholdScope, special: messageNames.union(rule.groupBy.map(\.name)), unit: rule.unit)
            }
        }
        try diagnostics.throwIfAny()
        return CompiledKPI(
            rule: rule, slot: slot, dataset: rule.dataset?.name, whereClause: whereClause, date: date,
            groupFields: rule.groupBy.map(\.name), groupIndexes: groupIndexes, value: compiledValue!.expression,
            aggregates: compiledValue!.aggregates,
            referenceSlots: compiledValue!.expression.referencedKPIs.compactMap { slots[$0] }.filter {
                $0 < all.kpis.count
            },
            thresholds: thresholds, message: message)
    }

    /// A KPI with no dataset groups by fields of the KPIs it references; their type comes from there.
    package static func referencedGroupType(
        _ name: String, rule: KPIRule, all: RuleSet, schemas: [String: DatasetSchema]
    ) -> FieldType {
        for other in all.kpis where other.groupBy.contains(where: { $0.name == name }) {
            if let dataset = other.dataset?.name, let field = schemas[dataset]?.config.field(named: name) {
                return field.type
            }
        }
        return .string
    }

    package static func thresholdScope(
        groupTypes names: [String], types: [String: FieldType], benchmarks: [String: Value]
    )
        -> ExpressionScope
    {
        var variables: [String: ExpressionScope.Variable] = [:]
        for (slot, variable) in ThresholdVariable.allCases.enumerated() {
            variables[variable.rawValue] = .init(type: variable.type, slot: slot)
        }
        for (offset, name) in names.enumerated() {
            variables[name] = .init(
                type: ExprType(types[name] ?? .string), slot: ThresholdVariable.allCases.count + offset)
        }
        return ExpressionScope(variables: variables, benchmarks: benchmarks, allowForecast: true)
    }

    /// `unit`: a KPI message's unit, which `{value}`, `{previous}` and `{change}` are written in. `identifiers`: the
    /// fields whose numbers name a record rather than count (`MessageNumber`). `isLabel`: every number is written as
    /// a name, without separators, since a route matches a label by its exact text and exports carry it as written.
    package static func compileTemplate(
        _ text: LocatedText, scope: ExpressionScope, special: Set<String>, unit: Unit? = nil,
        identifiers: Set<String> = [], isLabel: Bool = false
    ) throws -> CompiledTemplate {
        var diagnostics = DiagnosticCollector()
        var parts: [CompiledTemplate.Part] = []
        /// The placeholder compiled, nil (and a diagnostic) when it would put a personal field into an alert.
        func compiled(_ placeholder: LocatedText, expecting: ExprType?) -> CompiledExpression? {
            guard
                let compiled = diagnostics.capture({
                    try ExpressionCompiler.compile(placeholder, in: scope, expecting: expecting).expression
                })
            else { return nil }
            if compiled.usesPersonalField
                && (compiled.isBareField || compiled.type == .string || compiled.type == .date)
            {
                diagnostics.add(
                    Diagnostic(
                        "'{\(placeholder.text)}' would put a personal field into an alert",
                        at: placeholder.origin.start,
                        hint: "use the case id or another non-personal field; personal fields never leave the machine"
                    ))
                return nil
            }
            return compiled
        }
        for part in try TemplateParser.parse(text) {
            switch part {
            case .literal(let literal):
                parts.append(.literal(literal))
            case .placeholder(let placeholder):
                let name = placeholder.text.trimmingCharacters(in: .whitespaces)
                if special.contains(name)
                    || BenchmarkPlaceholder(name).map({ scope.benchmarks[$0.name] != nil }) == true
                {
                    parts.append(.special(name))
                    continue
                }
                if let expression = compiled(placeholder, expecting: nil) {
                    // `compile` keeps only the typed result, so the form is parsed again. It compiled a moment ago, so it
                    // parses: the fallback only keeps the placeholder from ever being dropped on this account.
                    let form = isLabel ? nil : try? ExpressionCompiler.parse(placeholder)
                    let number: MessageNumber =
                        isLabel ? .name : form.map { MessageNumber.of($0, identifiers: identifiers) } ?? .amount
                    parts.append(.expression(expression, number))
                }
            case .plural(let plural):
                if let unit, unit != .count, unit != .number,
                    ["value", "previous", "change"].contains(plural.number.text)
                {
                    diagnostics.add(
                        Diagnostic(
                            "plural counts '\(plural.number.text)' as a number of things, but this KPI's unit is "
                                + unit.rawValue, at: plural.number.origin.start,
                            hint: "write {\(plural.number.text)}, which has its unit; plural is for counts"))
                    continue
                }
                if let number = compiled(plural.number, expecting: .number) {
                    parts.append(.expression(plural.compiled(number), .amount))
                }
            }
        }
        try diagnostics.throwIfAny()
        return CompiledTemplate(parts: parts, text: text.text)
    }

    package static func compileCaseAlert(
        _ rule: CaseAlertRule, schemas: [String: DatasetSchema], benchmarks: [String: Value]
    ) throws -> CompiledCaseAlert {
        let schema = try Self.schema(for: rule.dataset, in: schemas, rule: rule.id)
        var scope = ExpressionScope(fields: schema.scopeFields, benchmarks: benchmarks)
        scope.forecasts = schema.forecasts
        var diagnostics = DiagnosticCollector()
        let whereClause = diagnostics.capture {
            try ExpressionCompiler.compile(rule.whereClause, in: scope, expecting: .bool).expression
        }
        let key = diagnostics.capture { try ExpressionCompiler.compile(rule.key, in: scope, expecting: nil).expression }
        if let key, key.usesPersonalField {
            diagnostics.add(
                Diagnostic(
                    "the key of case alert '\(rule.id)' uses a personal field; keys appear in alerts",
                    at: rule.key.origin.start, hint: "use the case id"))
        }
        var labels: [(String, CompiledTemplate)] = []
        for name in rule.labels.keys.sorted() {
            if let template = diagnostics.capture({
                try compileTemplate(rule.labels[name]!, scope: scope, special: [], isLabel: true)
            }) {
                labels.append((name, template))
            }
        }
        var identifiers = Set(schema.config.fields.filter(\.key).map(\.name))
        if let key, key.isBareField { identifiers.insert(key.text.trimmingCharacters(in: .whitespaces)) }
        let message = rule.message.flatMap { text in
            diagnostics.capture { try compileTemplate(text, scope: scope, special: [], identifiers: identifiers) }
        }
        try diagnostics.throwIfAny()
        return CompiledCaseAlert(
            rule: rule, whereClause: whereClause!, key: key!, labels: labels, message: message)
    }
}
