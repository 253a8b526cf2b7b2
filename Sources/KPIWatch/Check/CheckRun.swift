import Foundation
import KPIWatchAlerts
import KPIWatchCore
import KPIWatchEngine

/// The `check` use case: under the state store's lock, evaluate the project, record the run, deliver its alerts
/// through the pipeline, write the file sinks' exports and close the run. The command only parses arguments,
/// renders and exits; tests and embedders drive the same steps with their own sources and sinks.
///
/// It goes in steps (`start`, `record`, `deliver`) so that a caller can print between them: the report comes
/// after the evaluation and before the stdout sink's alerts. `run` takes them all at once.
public final class CheckRun {
    public let request: CheckRequest
    public let project: LoadedProject
    public let evaluation: Evaluation
    public let store: StateStore
    /// KPIs by state, what changed since the last recorded run, alerts by severity: worked out before anything
    /// is recorded or sent, to be printed first.
    public let summary: RunSummary
    private let engine: Engine
    private let lock: RunLock?
    private var run: Int64?

    /// The ids of `--only`, one per item whether written apart or comma-separated.
    static func ids(_ only: [String]) -> [String] {
        only.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    }

    /// Loads the project (unless given one already loaded, e.g. with datasets served from memory), takes the run
    /// lock (a second run waits: each would send what the other sends; `waiting` is told), opens the state store and
    /// evaluates. Throws `Diagnostics` when any of that fails, so nothing is recorded or sent.
    public init(
        _ request: CheckRequest, engine: Engine, project loaded: LoadedProject? = nil,
        waiting: (String) -> Void = { _ in }
    ) throws(Diagnostics) {
        self.request = request
        do {
            project = try loaded ?? engine.load(configPath: request.configPath, environment: request.environment)
            let ids = Self.ids(request.only)
            lock =
                request.dryRun
                ? nil
                : try RunLock(
                    statePath: project.config.statePath, configuredAt: project.config.stateLocation,
                    waiting: waiting)
            store =
                request.dryRun
                ? try StateStore.openReadOnly(for: project.config) : try StateStore.open(for: project.config)
            var evaluating = engine
            evaluating.history = store
            self.engine = evaluating
            let day = request.asOf ?? Engine.defaultAsOf(for: project.config, now: request.now)
            evaluation = try evaluating.evaluate(project, asOf: day, only: ids.isEmpty ? nil : ids, now: request.now)
            summary = try SinceLastRun.summary(
                evaluation, project: project, store: store, only: ids.isEmpty ? nil : ids)
        } catch let error as Diagnostics {
            throw error
        } catch let error as Diagnostic {
            throw Diagnostics([error])
        } catch {
            throw Diagnostics([Diagnostic("\(error)".escapingControlCharacters)])
        }
        // A `for:` that could not read its history would count no earlier runs: stop before anything is sent.
        if let failure = store.historyFailure { throw Diagnostics([failure]) }
    }

    /// Records the run's values (the history of later runs' `for:`); a dry run records nothing.
    public func record() throws(Diagnostics) {
        guard !request.dryRun else { return }
        do {
            run = try store.recordRun(asOf: evaluation.asOf, results: evaluation.results, now: request.now)
        } catch let error as Diagnostic {
            throw Diagnostics([error])
        } catch {
            throw Diagnostics([Diagnostic("\(error)".escapingControlCharacters)])
        }
    }

    /// Delivers the alerts, writes the file sinks' exports (a dry run or an `--only` run leaves the last whole
    /// export in place, since an export holds every KPI) and closes the run and its lock.
    public func deliver() -> CheckOutcome {
        let ids = Self.ids(request.only)
        let delivery = engine.deliver(
            evaluation, project: project, store: store, dryRun: request.dryRun, format: request.format,
            only: ids.isEmpty ? nil : ids, now: request.now, newSinceLastRun: summary.newSinceLastRun,
            listEveryAlert: request.listAll)
        var problems = delivery.diagnostics
        if !request.dryRun && ids.isEmpty { problems += KPIExport.writeFiles(evaluation, project: project) }
        if let run {
            do { try store.finishRun(run, now: request.now) } catch let error as Diagnostic {
                problems.append(error)
            } catch {
                problems.append(Diagnostic("\(error)".escapingControlCharacters))
            }
        }
        withExtendedLifetime(lock) {}
        return CheckOutcome(project: project, evaluation: evaluation, delivery: delivery, problems: problems)
    }

    /// The whole check at once.
    public static func run(
        _ request: CheckRequest, engine: Engine, project: LoadedProject? = nil, waiting: (String) -> Void = { _ in }
    ) -> CheckOutcome {
        let check: CheckRun
        do {
            check = try CheckRun(request, engine: engine, project: project, waiting: waiting)
        } catch {
            return CheckOutcome(problems: error.items)
        }
        do {
            try check.record()
        } catch {
            return CheckOutcome(project: check.project, evaluation: check.evaluation, problems: error.items)
        }
        return check.deliver()
    }
}
