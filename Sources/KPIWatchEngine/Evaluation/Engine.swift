import Foundation
import KPIWatchCore
import KPIWatchExpressions

/// A project file with its rules, loaded and compiled.
public struct LoadedProject: Sendable {
    public var config: ProjectConfig
    public var rules: RuleSet
    public var compiled: CompiledRules
    /// The sinks, made and checked when the project loaded, in the order written.
    public var sinks: [ConfiguredSink] = []
}

/// The evaluator: loads a project, reads each dataset once, evaluates every KPI and case alert
/// over it in the same pass, and hands alerts to the sinks. Knows sources and sinks only
/// through their registries.
public struct Engine: Sendable {
    public var sources: SourceRegistry
    public var sinks: SinkRegistry
    public var history: any RunHistory
    /// Checks `validate` runs besides the engine's own, between the sinks and the rules: the state store's, which
    /// the engine does not know (`Engine.standard` adds it).
    public var projectChecks: [@Sendable (ProjectConfig) throws -> Void]
    /// Whether `where` conditions are decided a batch at a time by the columnar evaluator where it covers them;
    /// off, every condition is decided row by row (tests compare the two).
    package var columnarConditions = true
    /// How many threads a run uses: datasets are read and evaluated side by side, one per thread, and a thread with no
    /// dataset left helps parse the pieces of a large one; 1 reads them one after another. The results do not depend
    /// on it.
    package var datasetWorkers = ParallelWork.cores
    /// How large sources are cut into pieces parsed on those threads (`PieceReading`; tests make pieces tiny to cut
    /// records everywhere). The results do not depend on them.
    package var pieceSize = PieceReading.defaultPieceSize
    package var pieceMinimumBytes = PieceReading.defaultMinimumBytes

    public init(
        sources: SourceRegistry, sinks: SinkRegistry, history: any RunHistory = NoRunHistory(),
        projectChecks: [@Sendable (ProjectConfig) throws -> Void] = []
    ) {
        self.sources = sources
        self.sinks = sinks
        self.history = history
        self.projectChecks = projectChecks
    }

    /// Loads and type-checks a project; throws `Diagnostics` with every error found. `includingSinks: false`
    /// leaves the sinks unmade and their `${…}` references unexpanded, for runs that send nothing (`report`,
    /// `explain`, `forecast`, `test`), so a webhook secret missing from the environment does not stop them.
    public func load(
        configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        includingSinks: Bool = true
    ) throws -> LoadedProject {
        let config = try loadConfig(path: configPath, environment: environment, expandingSinks: includingSinks)
        // A sink that cannot be made stops the run before it evaluates, sends or stores anything.
        var diagnostics = DiagnosticCollector()
        let sinks = diagnostics.capture {
            includingSinks ? try ConfiguredSink.make(config, registry: self.sinks) : []
        }
        let loaded = diagnostics.capture { try Self.rules(of: config) }
        guard let sinks, let loaded else { throw Diagnostics(diagnostics.items) }
        return LoadedProject(config: config, rules: loaded.0, compiled: loaded.1, sinks: sinks)
    }

    /// The project file alone, its datasets and sinks checked against this engine's registered source and sink types.
    public func loadConfig(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment, expandingSinks: Bool = true
    ) throws -> ProjectConfig {
        try ProjectLoader.load(
            path: path, environment: environment, sources: sources, sinks: sinks, expandingSinks: expandingSinks)
    }

    /// The project's rules, read and type-checked in one pass: a rule whose structure is broken is reported and
    /// left out, and every other rule is still type-checked, so one mistake does not hide the next.
    package static func rules(of config: ProjectConfig) throws -> (RuleSet, CompiledRules) {
        var diagnostics = DiagnosticCollector()
        let rules = RuleLoader.read(
            ruleFiles: config.ruleFiles, benchmarkFiles: config.benchmarkFiles, &diagnostics)
        let compiled = diagnostics.capture { try RuleCompiler.compile(rules, project: config) }
        guard diagnostics.isEmpty, let compiled else { throw Diagnostics(inReadingOrder(diagnostics.items)) }
        return (rules, compiled)
    }

    /// Everything `validate` checks: the project, the rules, the sinks, and every dataset's columns
    /// (headers only). Returns every problem, not only the first.
    public func validate(configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [Diagnostic]
    {
        var diagnostics = DiagnosticCollector()
        guard let config = diagnostics.capture({ try loadConfig(path: configPath, environment: environment) })
        else { return diagnostics.items }
        for dataset in config.datasets {
            var found = DiagnosticCollector()
            found.capture {
                let source = try sources.makeSource(for: dataset, in: config)
                try DatasetReader(dataset: dataset, source: source).checkColumns()
            }
            let setting = dataset.optionLocation("path")
            diagnostics.add(contentsOf: found.items.map { $0.configured(at: setting, by: "dataset '\(dataset.name)'") })
        }
        diagnostics.capture { _ = try ConfiguredSink.make(config, registry: sinks) }
        for check in projectChecks { diagnostics.capture { try check(config) } }
        diagnostics.capture { _ = try Self.rules(of: config) }
        return diagnostics.items
    }

    /// Today in the project's time zone, unless the project pins an as-of date (a frozen extract).
    public static func defaultAsOf(for config: ProjectConfig, now: Date = Date()) -> Day {
        if let pinned = config.asOf { return pinned }
        return today(in: config.timezone, now: now)
    }

    public static func today(in timezone: String, now: Date = Date()) -> Day {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// Evaluates the project as of `asOf`. `only` limits the run to those KPI and case-alert ids
    /// (and what they depend on); an unknown id is a `Diagnostic`.
    public func evaluate(_ project: LoadedProject, asOf: Day, only: [String]? = nil, now: Date = Date()) throws
        -> Evaluation
    {
        let compiled = project.compiled
        let selection = try Selection(compiled, only: only)
        let calendar = PeriodCalendar(asOf: asOf, yearStart: project.config.yearStart)
        var finalizer = KPIFinalizer(rules: compiled, calendar: calendar)
        var outcomes: [DatasetOutcome] = []
        var caseAlerts: [Alert] = []
        let forecasts = trainForecasts(project, asOf: asOf, for: selection)

        var passes: [DatasetPass] = []
        for dataset in project.config.datasets {
            let kpis = compiled.kpis.filter { $0.dataset == dataset.name && selection.kpis.contains($0.slot) }
            let alerts = compiled.caseAlerts.filter {
                $0.rule.dataset.name == dataset.name && selection.caseAlerts.contains($0.rule.id)
            }
            if kpis.isEmpty && alerts.isEmpty { continue }
            passes.append(
                DatasetPass(
                    dataset: dataset, project: project.config, kpis: kpis, caseAlerts: alerts, calendar: calendar,
                    sources: sources, now: now, benchmarks: BenchmarkList.constants(compiled.benchmarks),
                    columnar: columnarConditions, forecasts: forecasts))
        }
        // The datasets are read side by side, one per worker: each pass has its own source, context and
        // accumulators, and a rule may only ask the forecasts of its own dataset, so no two passes share
        // mutable state. Their results are taken in dataset order, so the output is the same with any number of
        // workers.
        // A large CSV is also parsed in pieces by the threads with no dataset of their own (`PieceReading`), so that
        // the run keeps every worker busy until its last dataset is read, and never has more than `datasetWorkers`.
        let sharing = WorkSharing(jobs: passes.count)
        for index in passes.indices {
            passes[index].pieces = PieceReading(
                sharing: sharing, pieceSize: pieceSize, minimumBytes: pieceMinimumBytes, inFlight: 2 * datasetWorkers)
        }
        let passResults = ParallelWork.map(passes, workers: datasetWorkers, sharing: sharing) { $0.run() }
        for (pass, result) in zip(passes, passResults) {
            outcomes.append(result.outcome)
            caseAlerts += result.alerts
            for accumulation in result.accumulations { finalizer.finish(accumulation, asOf: asOf) }
            if result.outcome.status != .ok {
                for kpi in pass.kpis {
                    finalizer.block(kpi, state: result.outcome.status == .stale ? .stale : .error)
                }
            }
        }

        var results: [KPIResult] = []
        var alerts: [Alert] = []
        for slot in compiled.order where selection.kpis.contains(slot) {
            let kpi = compiled.kpis[slot]
            if kpi.dataset == nil { finalizer.finishDerived(kpi, asOf: asOf) }
            guard let series = finalizer.series[slot] else { continue }
            let assessment = KPIAssessment(
                kpi: kpi, series: series, benchmarks: compiled.benchmarks, asOf: asOf, history: history)
            let (kpiResults, kpiAlerts) = assessment.assess()
            if selection.shown.contains(kpi.rule.id) {
                results += kpiResults
                alerts += kpiAlerts
            }
        }
        // Results follow the order the rules were written in, not the dependency order.
        let position = Dictionary(uniqueKeysWithValues: compiled.kpis.map { ($0.rule.id, $0.slot) })
        results = results.enumerated().sorted {
            let (a, b) = (position[$0.element.id]!, position[$1.element.id]!)
            return a == b ? $0.offset < $1.offset : a < b
        }.map(\.element)
        alerts.sort { position[$0.rule]! < position[$1.rule]! }
        return Evaluation(asOf: asOf, results: results, alerts: alerts + caseAlerts, datasets: outcomes)
    }

    /// What `evaluate` would compute in each database and what in process, and why
    /// (`kpiwatch check --explain-plan`). Reads no rows: it opens the sources and profiles them.
    public func explainPlan(_ project: LoadedProject, asOf: Day) -> [DatasetPlanExplanation] {
        let calendar = PeriodCalendar(asOf: asOf, yearStart: project.config.yearStart)
        let benchmarks = BenchmarkList.constants(project.compiled.benchmarks)
        return project.config.datasets.compactMap { dataset in
            let kpis = project.compiled.kpis.filter { $0.dataset == dataset.name }
            if kpis.isEmpty { return nil }
            var explanation = DatasetPlanExplanation(dataset: dataset.name, origin: dataset.source, decisions: [])
            let fields = DatasetSchema(dataset).scopeFields
            for kpi in kpis {
                explanation.inProcess[kpi.rule.id] =
                    columnarConditions
                    ? ColumnarPlan.decide(kpi, fields: fields, benchmarks: benchmarks, origin: dataset.name).description
                    : "folded row by row: columnar evaluation is off"
            }
            do {
                let source = try sources.makeSource(for: dataset, in: project.config)
                explanation.origin = source.origin
                guard let database = source as? any AggregatePushdown else {
                    explanation.decisions = kpis.map {
                        PushdownDecision(
                            kpi: $0.rule.id, sql: nil, reason: "source '\(dataset.source)' is read row by row")
                    }
                    return explanation
                }
                let request = PushdownRequest(dataset: dataset, calendar: calendar, benchmarks: benchmarks, kpis: kpis)
                explanation.decisions = try database.planPushdown(request).decisions
            } catch let error as Diagnostics {
                explanation.problems = error.items
            } catch let error as Diagnostic {
                explanation.problems = [error]
            } catch {
                explanation.problems = [Diagnostic("\(error)".escapingControlCharacters)]
            }
            return explanation
        }
    }
}

/// Which rules a run evaluates (`--only`), closed over the KPIs they reference.
package struct Selection {
    package var kpis: Set<Int>
    package var caseAlerts: Set<String>
    package var shown: Set<String>

    package init(_ compiled: CompiledRules, only: [String]?) throws {
        guard let only, !only.isEmpty else {
            kpis = Set(compiled.kpis.map(\.slot))
            caseAlerts = Set(compiled.caseAlertIDs)
            shown = Set(compiled.kpiIDs)
            return
        }
        let known = compiled.kpiIDs + compiled.caseAlertIDs
        var diagnostics = DiagnosticCollector()
        for id in only where !known.contains(id) {
            diagnostics.add(
                Diagnostic(
                    "--only names '\(id)', which is not a KPI or case alert id",
                    hint: suggestion(for: id, in: known, noun: "ids")))
        }
        try diagnostics.throwIfAny()
        shown = Set(only)
        caseAlerts = Set(only.filter { compiled.caseAlertIDs.contains($0) })
        var selected: Set<Int> = []
        var pending = compiled.kpis.filter { only.contains($0.rule.id) }.map(\.slot)
        while let slot = pending.popLast() {
            guard selected.insert(slot).inserted else { continue }
            pending += compiled.kpis[slot].referenceSlots
        }
        kpis = selected
    }
}
