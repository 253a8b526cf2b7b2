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

    @Flag(
        name: .customLong("all"),
        help: "In text: list every KPI and every alert, not only the breaches and the first cases of each rule.")
    var listAll = false

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
        let day = try asOf.map { try parseDay($0, option: "--as-of") }
        if explainPlan {
            let project = try Engine.standard().load(configPath: options.config)
            let planned = day ?? Engine.defaultAsOf(for: project.config)
            print(Engine.standard().explainPlan(project, asOf: planned).map(\.text).joined(separator: "\n\n"))
            return
        }
        let request = CheckRequest(
            configPath: options.config, asOf: day, only: only, dryRun: dryRun, format: format.rawValue,
            listAll: listAll)
        let check: CheckRun
        do {
            check = try CheckRun(request, engine: .standard(), waiting: printError)
        } catch {
            report(error.items)
            throw couldNotEvaluate
        }
        let evaluation = check.evaluation
        for dataset in evaluation.datasets {
            logger.info(
                "dataset \(dataset.name): \(dataset.rowsRead) rows read from \(dataset.origin), \(dataset.rowsSkipped) skipped, \(dataset.status.rawValue)"
            )
            for problem in dataset.problems { printError(problem.description) }
            for fallback in dataset.pushdownFallbacks { logger.info("\(fallback)") }
        }
        logger.info(
            "\(Counted.text(evaluation.results.count, "KPI value")), \(Counted.text(evaluation.alerts.count, "alert")) as of \(evaluation.asOf.iso)"
        )
        do {
            try check.record()
        } catch {
            report(error.items)
            throw couldNotEvaluate
        }
        render(evaluation, summary: check.summary, project: check.project)
        let outcome = check.deliver()
        for sink in outcome.delivery?.sinks ?? [] { printError(sink.summary) }
        report(outcome.problems)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }

    /// The values (and, without a stdout sink, the alerts) on standard output, before the sinks deliver.
    private func render(_ evaluation: Evaluation, summary: RunSummary, project: LoadedProject) {
        // The stdout sink prints the alerts (through the pipeline, so silences and routing apply to it);
        // without one, the report lists them.
        let aSinkPrintsTheAlerts = project.sinks.contains(where: \.writesToTerminal)
        switch format {
        case .text:
            let color = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            print(
                TextReport.render(
                    evaluation, summary: summary, color: color, includeAlerts: !aSinkPrintsTheAlerts, all: listAll),
                terminator: "")
        case .json:
            print(evaluation.results.map { JSONLines.kpi($0).serialized }.joined(separator: "\n"))
            if !aSinkPrintsTheAlerts {
                for alert in evaluation.alerts { print(JSONLines.alert(alert).serialized) }
            }
        case .csv, .openmetrics:
            print(KPIExport(rawValue: format.rawValue)!.render(evaluation, project: project), terminator: "")
        }
    }
}
