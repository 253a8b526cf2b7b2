import Foundation
import KPIWatchCore
import KPIWatchExpressions

/// Reads one dataset once and feeds every record to every KPI and case alert over it.
package struct DatasetPass {
    package let dataset: DatasetConfig
    package let project: ProjectConfig
    package let kpis: [CompiledKPI]
    package let caseAlerts: [CompiledCaseAlert]
    package let calendar: PeriodCalendar
    package let sources: SourceRegistry
    package let now: Date
    /// Constants that record expressions may use, for translating them to SQL.
    package var benchmarks: [String: Value] = [:]
    /// Whether `where` conditions the columnar evaluator covers are decided a batch of records at a time.
    package var columnar = true
    /// The project's forecasts by slot, trained before the pass (`breach_probability`).
    package var forecasts: [any RecordForecast] = []
    /// How a large text source is read in pieces on the run's threads; nil reads every source on this pass's thread.
    package var pieces: PieceReading?

    package struct Result {
        package var outcome: DatasetOutcome
        package var accumulations: [KPIAccumulation]
        package var alerts: [Alert]
    }

    package func run() -> Result {
        let source: any Source
        do {
            source = try sources.makeSource(for: dataset, in: project)
        } catch {
            return failed(origin: dataset.option("path") ?? dataset.name, error)
        }
        if dataset.extractedAt == nil, let maxAge = dataset.maxAge, let extracted = source.extractedAt(),
            let problem = staleness(extracted: extracted, maxAge: maxAge)
        {
            return Result(
                outcome: DatasetOutcome(
                    name: dataset.name, origin: source.origin, status: .stale, problems: [.note(problem)]),
                accumulations: [], alerts: [])
        }

        // A database computes what it can itself; only the rest streams its rows through here.
        var pushdown = PushdownPass.Outcome()
        if let database = source as? any AggregatePushdown {
            let request = PushdownRequest(dataset: dataset, calendar: calendar, benchmarks: benchmarks, kpis: kpis)
            pushdown = PushdownPass(source: database, request: request).run()
        }
        let streamed = kpis.indices.filter { pushdown.accumulations[$0] == nil }
        var accumulations = streamed.map {
            KPIAccumulation(kpi: kpis[$0], plan: KPIFinalizer.plan(for: kpis[$0], calendar: calendar))
        }
        var alerts: [Alert] = []
        let context = EvalContext(asOf: calendar.asOf)
        context.forecasts = forecasts
        let extractedIndex = dataset.extractedAt.flatMap { name in dataset.fields.firstIndex { $0.name == name } }
        var latestExtract: Day?
        let summary: DatasetReadSummary
        do {
            let reader = DatasetReader(dataset: dataset, source: source)
            try reader.checkColumns()
            if streamed.isEmpty && caseAlerts.isEmpty && dataset.extractedAt == nil, let rows = pushdown.rowsRead {
                summary = DatasetReadSummary(rowsRead: rows)
            } else {
                // Records are taken a batch at a time: the columnar pass decides the `where` conditions it covers and
                // folds the KPIs it accumulates from the batch's columns; then each record goes to every other KPI
                // and to the case alerts, in order.
                let columnar = ColumnarPass(
                    enabled: self.columnar, dataset: dataset, accumulations: accumulations, caseAlerts: caseAlerts,
                    calendar: calendar, benchmarks: benchmarks)
                let conditions = columnar.conditions
                // Whether a batch's records still need the row-by-row loop.
                let allKPIs = Array(accumulations.indices)
                let rowByRowKPIs = allKPIs.filter { !columnar.folded.contains($0) }
                let rowsNeeded = !caseAlerts.isEmpty || extractedIndex != nil || !rowByRowKPIs.isEmpty
                // The batch's rows are swapped in from the reader, each for a row of an earlier batch for it to
                // write over, so that no row is copied.
                var pending = [[Value]](
                    repeating: [Value](repeating: .null, count: dataset.fields.count), count: BatchConditions.batchSize)
                var pendingCount = 0
                func consume(_ row: [Value], batchRow: Int?) {
                    context.row = row
                    if let extractedIndex, case .date(let day) = row[extractedIndex] {
                        latestExtract = max(latestExtract ?? day, day)
                    }
                    for index in batchRow == nil ? allKPIs : rowByRowKPIs {
                        if let batchRow, conditions.covers(index) {
                            accumulations[index].add(context, conditions: conditions, condition: index, row: batchRow)
                        } else {
                            accumulations[index].add(context)
                        }
                    }
                    for (offset, rule) in caseAlerts.enumerated() {
                        let condition = accumulations.count + offset
                        let holds =
                            if let batchRow, conditions.covers(condition) {
                                conditions.holds(condition, asOf: 0, row: batchRow)
                            } else {
                                rule.whereClause.isTrue(context)
                            }
                        if holds { alerts.append(Self.alert(rule, context: context)) }
                    }
                }
                func flush() {
                    let rows = pending[..<pendingCount]
                    let batch = columnar.add(rows, into: &accumulations)
                    if batch == nil || rowsNeeded {
                        for (position, row) in rows.enumerated() {
                            consume(row, batchRow: batch == nil ? nil : position)
                        }
                    }
                    // Nothing may hold a row once its batch is done, or the reader's write over it would copy it.
                    context.row = []
                    pendingCount = 0
                }
                summary = try reader.read(decoding: fieldsRead(), pieces: pieces) { row, _ in
                    guard columnar.isUseful else {
                        consume(row, batchRow: nil)
                        context.row = []
                        return
                    }
                    swap(&row, &pending[pendingCount])
                    pendingCount += 1
                    if pendingCount == BatchConditions.batchSize { flush() }
                }
                if pendingCount > 0 { flush() }
                columnar.finish(into: &accumulations)
            }
        } catch {
            return failed(origin: source.origin, error)
        }

        var outcome = DatasetOutcome(
            name: dataset.name, origin: source.origin, status: .ok, rowsRead: summary.rowsRead,
            rowsSkipped: summary.rowsSkipped, problems: summary.errors.map(DatasetProblem.badValue),
            errorCount: summary.errorCount)
        outcome.problems += pushdown.notes.map(DatasetProblem.note)
        outcome.pushdownFallbacks = pushdown.fallbacks
        for (position, index) in streamed.enumerated() { pushdown.accumulations[index] = accumulations[position] }
        accumulations = kpis.indices.compactMap { pushdown.accumulations[$0] }
        if summary.errorCount > summary.errors.count {
            outcome.problems.append(
                .note(
                    "\(source.origin): \(summary.errorCount - summary.errors.count) more bad values not listed"))
        }
        if dataset.onBadRows == .fail && summary.errorCount > 0 {
            outcome.status = .error
            outcome.problems.append(
                .note(
                    "dataset '\(dataset.name)' was not evaluated: \(summary.errorCount) bad values; fix them, or set 'on_bad_rows: skip' to leave such rows out"
                ))
            return Result(outcome: outcome, accumulations: [], alerts: [])
        }
        if summary.rowsSkipped > 0 {
            outcome.problems.append(
                .note(
                    "dataset '\(dataset.name)': \(summary.rowsSkipped) rows with bad values were skipped (on_bad_rows: skip)"
                ))
        }
        if let maxAge = dataset.maxAge, dataset.extractedAt != nil {
            let problem: String?
            if let latestExtract {
                problem = staleness(
                    extracted: Self.startOfDay(latestExtract, timezone: project.timezone), maxAge: maxAge)
            } else {
                problem = "dataset '\(dataset.name)': no value in '\(dataset.extractedAt!)', so its age is unknown"
            }
            if let problem {
                outcome.status = .stale
                outcome.problems.append(.note(problem))
                return Result(outcome: outcome, accumulations: [], alerts: [])
            }
        }
        return Result(outcome: outcome, accumulations: accumulations, alerts: alerts)
    }

    /// The indexes (into `dataset.fields`) of the fields some KPI or case alert of the pass reads, or nil for all of
    /// them: a rule asking a forecast reads the forecast's fields, which its text does not name.
    private func fieldsRead() -> Set<Int>? {
        var expressions: [CompiledExpression] = []
        var names: Set<String> = []
        var indexes: Set<Int> = []
        for kpi in kpis {
            expressions += [kpi.whereClause, kpi.date, kpi.value].compactMap { $0 }
            expressions += kpi.aggregates.compactMap(\.argument)
            indexes.formUnion(kpi.groupIndexes)
        }
        for alert in caseAlerts {
            expressions += [alert.whereClause, alert.key]
            for template in alert.labels.map(\.1) + [alert.message].compactMap({ $0 }) {
                for case .expression(let expression, _) in template.parts { expressions.append(expression) }
            }
        }
        if expressions.contains(where: { $0.text.contains(ForecastFunction.breachProbability) }) { return nil }
        for expression in expressions { names.formUnion(expression.referencedFields) }
        if let extracted = dataset.extractedAt { names.insert(extracted) }
        let schema = DatasetSchema(dataset)
        return indexes.union(names.compactMap { schema.index[$0] })
    }

    private func failed(origin: String, _ error: any Error) -> Result {
        let problems: [DatasetProblem]
        let setting = dataset.optionLocation("path")
        let what = "dataset '\(dataset.name)'"
        if let diagnostics = error as? Diagnostics {
            problems = diagnostics.items.map { .error($0.configured(at: setting, by: what)) }
        } else if let diagnostic = error as? Diagnostic {
            problems = [.error(diagnostic.configured(at: setting, by: what))]
        } else {
            problems = [.note("\(error)".escapingControlCharacters)]
        }
        return Result(
            outcome: DatasetOutcome(name: dataset.name, origin: origin, status: .error, problems: problems),
            accumulations: [], alerts: [])
    }

    /// An extract is measured against the moment of the run when the as-of date is today, and
    /// against the end of the as-of day otherwise, so a rerun for an old date judges the data as it was then.
    private func staleness(extracted: Date, maxAge: Double) -> String? {
        let today = Engine.today(in: project.timezone, now: now)
        let reference =
            calendar.asOf == today
            ? now : Self.startOfDay(calendar.asOf.adding(days: 1), timezone: project.timezone)
        let age = reference.timeIntervalSince(extracted)
        guard age > maxAge else { return nil }
        return
            "dataset '\(dataset.name)' is stale: extracted \(Self.describe(age)) ago, more than its max_age of \(Self.describe(maxAge)); its KPIs were not evaluated"
    }

    package static func startOfDay(_ day: Day, timezone: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!
        let (y, m, d) = day.components
        return calendar.date(from: DateComponents(year: y, month: m, day: d))!
    }

    package static func describe(_ seconds: Double) -> String {
        if seconds >= 86_400 { return ValueFormatter.decimal(seconds / 86_400, places: 1) + " days" }
        return ValueFormatter.decimal(seconds / 3_600, places: 1) + " hours"
    }

    package static func alert(_ rule: CompiledCaseAlert, context: EvalContext) -> Alert {
        let key = rule.key.evaluate(context).description
        var labels: [String: String] = [:]
        for (name, template) in rule.labels { labels[name] = TemplateRenderer.render(template, context: context) }
        let message =
            rule.message.map { TemplateRenderer.render($0, context: context) } ?? "\(rule.rule.title): case \(key)"
        return Alert(
            kind: .caseAlert, rule: rule.rule.id, title: rule.rule.title, severity: AlertSeverity(rule.rule.severity),
            key: key, labels: labels, message: message)
    }
}
