import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchAlerts
import KPIWatchCore
import KPIWatchEngine

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate every KPI as of a date, print values and states, and send alerts.",
        discussion:
            "Exit status: 0 all OK, 1 a warning, 2 a critical, 3 could not do everything it was asked (bad configuration or data, a notification not delivered, a state store error)."
    )

    @OptionGroup var options: ConfigOption

    @Option(
        name: .customLong("as-of"),
        help: "Evaluate as of this date (yyyy-MM-dd). Default: today in the project's time zone.")
    var asOf: String?

    @Option(
        help: """
            text (a table), json (one JSON object per KPI value and per alert), csv (one row per KPI value, for \
            Power BI and Excel) or openmetrics (for node_exporter's textfile collector and Grafana).
            """)
    var format: OutputFormat = .text

    @Option(name: .long, parsing: .upToNextOption, help: "Evaluate only these KPI or case-alert ids.")
    var only: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Send nothing and change no state.")
    var dryRun = false

    @Flag(name: .shortAndLong, help: "Log what was read and sent on standard error.")
    var verbose = false
    @Flag(
        name: .customLong("explain-plan"),
        help: "Per dataset and KPI: what a database computes (with its SQL), what runs in process; evaluate nothing."
    )
    var explainPlan = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv, openmetrics
    }

    func run() throws {
        let logger = makeLogger(verbose: verbose)
        let project: LoadedProject
        do {
            project = try Engine.standard().load(configPath: options.config)
        } catch let error as Diagnostics {
            report(error.items)
            throw couldNotEvaluate
        } catch let error as Diagnostic {
            report([error])
            throw couldNotEvaluate
        }
        let day = try asOf.map { try parseDay($0, option: "--as-of") } ?? Engine.defaultAsOf(for: project.config)
        if explainPlan {
            print(Engine.standard().explainPlan(project, asOf: day).map(\.text).joined(separator: "\n\n"))
            return
        }
        let ids = only.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        // Two runs at once would each send what the other sends: the second waits for the first.
        let lock: RunLock?
        let store: StateStore
        do {
            lock =
                dryRun
                ? nil
                : try RunLock(
                    statePath: project.config.statePath, configuredAt: project.config.stateLocation,
                    waiting: printError)
            store = dryRun ? try StateStore.openReadOnly(for: project.config) : try StateStore.open(for: project.config)
        } catch let error as Diagnostic {
            report([error])
            throw couldNotEvaluate
        }
        let engine = Engine.standard(history: store)
        let evaluation: Evaluation
        do {
            evaluation = try engine.evaluate(project, asOf: day, only: ids.isEmpty ? nil : ids)
        } catch let error as Diagnostics {
            report(error.items)
            throw couldNotEvaluate
        }
        // A `for:` that could not read its history would count no earlier runs: stop before anything is sent.
        if let failure = store.historyFailure {
            report([failure])
            throw couldNotEvaluate
        }
        for dataset in evaluation.datasets {
            logger.info(
                "dataset \(dataset.name): \(dataset.rowsRead) rows read from \(dataset.origin), \(dataset.rowsSkipped) skipped, \(dataset.status.rawValue)"
            )
            for problem in dataset.problems { printError(problem) }
            for fallback in dataset.pushdownFallbacks { logger.info("\(fallback)") }
        }
        logger.info("\(evaluation.results.count) KPI values, \(evaluation.alerts.count) alerts as of \(day.iso)")
        var run: Int64?
        if !dryRun {
            do {
                run = try store.recordRun(asOf: day, results: evaluation.results)
            } catch let error as Diagnostic {
                report([error])
                throw couldNotEvaluate
            }
        }
        // The stdout sink prints the alerts (through the pipeline, so silences and routing apply to it);
        // without one, the report lists them.
        let hasStdoutSink = project.config.sinks.contains { $0.type == "stdout" }
        switch format {
        case .text:
            let color = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            print(TextReport.render(evaluation, color: color, includeAlerts: !hasStdoutSink), terminator: "")
        case .json:
            print(evaluation.results.map { JSONLines.kpi($0).serialized }.joined(separator: "\n"))
            if !hasStdoutSink {
                for alert in evaluation.alerts { print(JSONLines.alert(alert).serialized) }
            }
        case .csv, .openmetrics:
            print(KPIExport(rawValue: format.rawValue)!.render(evaluation, project: project), terminator: "")
        }
        let outcome = engine.deliver(
            evaluation, project: project, store: store, dryRun: dryRun, format: format.rawValue,
            only: ids.isEmpty ? nil : ids)
        for sink in outcome.sinks { printError(sink.summary) }
        var diagnostics = outcome.diagnostics
        // A file sink's export holds every KPI: a dry run or an `--only` run leaves the last whole one in place.
        if !dryRun && ids.isEmpty { diagnostics += KPIExport.writeFiles(evaluation, project: project) }
        if let run {
            do { try store.finishRun(run) } catch let error as Diagnostic { diagnostics.append(error) }
        }
        withExtendedLifetime(lock) {}
        report(diagnostics)
        let code = diagnostics.isEmpty ? evaluation.exitCode : max(evaluation.exitCode, 3)
        if code != 0 { throw ExitCode(code) }
    }
}
