import KPIWatchCore
import KPIWatchExpressions

/// What `kpiwatch forecast ID` does, for the command and for other callers (the report draws the
/// workload projection): load the forecast's data, and list the open cases, project the workload or
/// replay the history.
package struct ForecastRun {
    package let engine: Engine
    package let project: LoadedProject
    package let forecast: CompiledForecast

    package init(engine: Engine, project: LoadedProject, id: String) throws {
        guard let forecast = project.compiled.forecasts.first(where: { $0.rule.id == id }) else {
            let ids = project.compiled.forecasts.map(\.rule.id)
            throw Diagnostic(
                "no forecast '\(id)' in the project's rule files",
                hint: ids.isEmpty
                    ? "declare one in a rule file's forecasts: list (docs/forecasts.md)"
                    : suggestion(for: id, in: ids, noun: "forecasts"))
        }
        self.engine = engine
        self.project = project
        self.forecast = forecast
    }

    /// The forecast trained on its dataset (a dataset that cannot be read is an error, not an empty forecast).
    /// The data is as read on the project's as_of (else today): a forecast for an earlier day does not
    /// know the `recorded_late:` fields of the cases still running then.
    package func model(asOf: Day) throws -> ForecastModel {
        ForecastModel(
            forecast: forecast, rows: try engine.readRows(of: forecast.rule.dataset.name, in: project), asOf: asOf,
            knownOn: Engine.defaultAsOf(for: project.config))
    }

    /// Every open case the forecast covers, most likely to breach first: the dataset's key first, then
    /// `p_breach`, age and stage. No other field of the record is shown, so no personal one can be.
    /// With them, the expected breaches among the cases due within `dueWithinDays` and its interval.
    package func cases(asOf: Day, dueWithinDays: Int = 28) throws -> (table: ForecastTable, dueSoon: DueSoon) {
        let dataset = project.config.datasets.first { $0.name == forecast.rule.dataset.name }!
        guard let keyIndex = forecast.keyIndex else {
            throw Diagnostic(
                "dataset '\(dataset.name)' has no key field to name its cases by", at: dataset.location,
                hint: "mark the case id field with key: true")
        }
        let keyField = dataset.fields[keyIndex]
        guard !keyField.personal else {
            throw Diagnostic(
                "the key field '\(keyField.name)' of dataset '\(dataset.name)' is personal; cases cannot be listed",
                at: keyField.location, hint: "use a case reference as the key")
        }
        let model = try model(asOf: asOf)
        // Cases still inside the deadline come first, most likely to breach first: those are the ones to act on.
        let estimates = model.estimator(asOf: asOf).estimates(for: model.cases).sorted {
            let (a, b) = ($0.basis == .pastDeadline, $1.basis == .pastDeadline)
            if a != b { return !a }
            if $0.pBreach != $1.pBreach { return ($0.pBreach ?? -1) > ($1.pBreach ?? -1) }
            return $0.key < $1.key
        }
        let rule = forecast.rule
        var columns = [keyField.name, "p_breach", "age_days", "age_weeks", "days_to_deadline", "stage"]
        if let by = rule.by { columns.append(by.name) }
        columns += ["basis", "sample"]
        var table = ForecastTable(columns: columns)
        for estimate in estimates {
            var row: [JSONValue] = [
                .string(estimate.key), estimate.pBreach.map { ForecastTable.rounded($0, places: 3) } ?? .null,
                .int(estimate.ageDays), .int(estimate.ageWeeks), .int(rule.deadlineDays - estimate.ageDays),
                .string(estimate.stage.map { rule.stages[$0].name } ?? rule.start.name),
            ]
            if rule.by != nil { row.append(estimate.group.map(JSONValue.string) ?? .null) }
            row += [.string(estimate.basis.rawValue), .int(estimate.sample)]
            table.rows.append(row)
        }
        return (table, DueSoon(estimates, deadlineDays: rule.deadlineDays, withinDays: dueWithinDays))
    }

    /// The next months' figures with their 80% band, under a scenario of the forecast's `workload:`.
    package func workload(asOf: Day, months: Int?, scenario name: String?) throws -> ForecastTable {
        let settings = forecast.rule.workload
        var scenario = WorkloadScenario.baseline
        if let name {
            let declared = settings?.scenarios ?? []
            guard let found = declared.first(where: { $0.name == name }) else {
                throw Diagnostic(
                    "forecast '\(forecast.rule.id)' has no scenario '\(name)'",
                    hint: declared.isEmpty
                        ? "declare scenarios under its workload: (docs/forecasts.md)"
                        : suggestion(for: name, in: declared.map(\.name), noun: "scenarios"))
            }
            scenario = found
        }
        let model = try workloadModel(asOf: asOf)
        let rows = model.project(
            months: months ?? settings?.months ?? WorkloadRule.defaultMonths,
            runs: settings?.runs ?? WorkloadRule.defaultRuns, seed: settings?.seed ?? WorkloadRule.defaultSeed,
            scenario: scenario)
        var table = ForecastTable(columns: ["month", "measure", "p10", "p50", "p90"])
        for row in rows {
            let places = row.measure == .timeliness ? 1 : 0
            table.rows.append([
                .string(String(row.month.iso.prefix(7))), .string(row.measure.rawValue),
                ForecastTable.rounded(row.band.p10, places: places),
                ForecastTable.rounded(row.band.p50, places: places),
                ForecastTable.rounded(row.band.p90, places: places),
            ])
        }
        return table
    }

    package func workloadModel(asOf: Day) throws -> WorkloadModel {
        try workloadModel(try model(asOf: asOf), asOf: asOf)
    }

    private func workloadModel(_ model: ForecastModel, asOf: Day) throws -> WorkloadModel {
        WorkloadModel(cases: model.cases, asOf: asOf, settings: forecast.rule.settings, fte: try staffFTE())
    }

    /// What the report shows of a forecast, from one reading of its data: the expected breaches among the
    /// cases due within `dueWithinDays`, and the workload projection under the baseline and each
    /// declared scenario (the same seed for each, so the lines differ by the scenario, not the draws).
    package func outlook(asOf: Day, dueWithinDays: Int = 28) throws -> ForecastOutlook {
        let model = try model(asOf: asOf)
        let dueSoon = DueSoon(
            model.estimator(asOf: asOf).estimates(for: model.cases), deadlineDays: forecast.rule.deadlineDays,
            withinDays: dueWithinDays)
        let settings = forecast.rule.workload
        let workload = try workloadModel(model, asOf: asOf)
        let scenarios = [WorkloadScenario.baseline] + (settings?.scenarios ?? [])
        let projections = scenarios.map { scenario in
            (
                scenario,
                workload.project(
                    months: settings?.months ?? WorkloadRule.defaultMonths,
                    runs: settings?.runs ?? WorkloadRule.defaultRuns, seed: settings?.seed ?? WorkloadRule.defaultSeed,
                    scenario: scenario)
            )
        }
        return ForecastOutlook(
            dueSoon: dueSoon, months: workload.reportedMonths(settings?.months ?? WorkloadRule.defaultMonths),
            projections: projections)
    }

    /// The assessment officers' FTE from the `workload:` staff dataset; nil without one (no capacity limit).
    package func staffFTE() throws -> Double? {
        guard let settings = forecast.rule.workload, let staff = settings.staff, let fte = settings.fte else {
            return nil
        }
        let schema = project.compiled.schemas[staff.name]!
        let fteIndex = schema.index[fte.name]!
        let condition = try settings.staffWhere.map {
            try ExpressionCompiler.compile($0, in: ExpressionScope(fields: schema.scopeFields), expecting: .bool)
                .expression
        }
        let context = EvalContext(asOf: Day(daysSinceEpoch: 0))
        var total = 0.0
        for row in try engine.readRows(of: staff.name, in: project) {
            context.row = row
            if let condition, !condition.isTrue(context) { continue }
            total += row[fteIndex].double ?? 0
        }
        return total
    }
}

/// The open cases whose deadline falls in the next days (0 to `withinDays` − 1 days left, as the pack's
/// expected_breaches_next_4_weeks KPI counts them) and how many of them are expected to miss it.
package struct DueSoon: Sendable, Equatable {
    package var withinDays: Int
    package var cases: Int
    /// Cases due with no probability (no history that old): in `cases`, not in `breaches`.
    package var withoutProbability: Int
    package var breaches: ExpectedCount

    package init(_ estimates: [BreachEstimate], deadlineDays: Int, withinDays: Int) {
        let due = estimates.filter { (0..<withinDays).contains(deadlineDays - $0.ageDays) }
        self.withinDays = withinDays
        cases = due.count
        withoutProbability = due.filter { $0.pBreach == nil }.count
        breaches = ExpectedCount(probabilities: due.compactMap(\.pBreach))
    }

    /// One line under the text table.
    package var summary: String {
        var line =
            "Due in the next \(withinDays) days: \(cases) open case\(cases == 1 ? "" : "s"), "
            + "\(ValueFormatter.decimal(breaches.expected, places: 1)) expected to miss the deadline "
            + "(\(breaches.intervalText), if the cases are independent)"
        if withoutProbability > 0 { line += "; \(withoutProbability) with no probability" }
        return line + "\n"
    }
}

/// A forecast's expected breaches and workload projections, as the report draws them.
package struct ForecastOutlook: Sendable {
    package var dueSoon: DueSoon
    /// The projected months (first days).
    package var months: [Day]
    /// The baseline first, then each declared scenario.
    package var projections: [(scenario: WorkloadScenario, rows: [WorkloadModel.Row])]
}
