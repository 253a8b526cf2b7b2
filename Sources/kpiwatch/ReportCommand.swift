import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchAlerts
import KPIWatchCore
import KPIWatchEngine
import KPIWatchReport
import KPIWatchReportTemplates

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the committee report: every KPI with its state, change and chart, benchmarks, cases at risk.",
        discussion: """
            HTML is one self-contained file (inline SVG and CSS, no script, no request of any kind) that prints \
            on A4; Markdown is the same content as tables, with the charts as SVG files in NAME-charts/ beside it. \
            The templates are the project's (report: { templates: DIR }) or the defaults (docs/report.md). \
            Sends nothing; records the report in the state store, so that chat digests point to it (a report of \
            --only ids is not recorded). Exit status: 0 written, 3 not written or recorded, or a dataset could not \
            be read.
            """
    )

    @OptionGroup var options: ConfigOption

    @Option(
        name: .customLong("as-of"),
        help: "Evaluate as of this date (yyyy-MM-dd). Default: the project's as_of, else today in its time zone.")
    var asOf: String?

    @Option(help: "html (one self-contained file) or md (Markdown, charts as SVG files beside it).")
    var format: ReportFormat = .html

    @Option(help: "The report file. Default: report.html or report.md in the current folder.")
    var output: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Report only these KPI or case-alert ids.")
    var only: [String] = []

    func run() throws {
        // A report sends nothing: a webhook secret missing from the environment must not stop it.
        let project = try Engine.standard().load(configPath: options.config, includingSinks: false)
        let day = try asOf.map { try parseDay($0, option: "--as-of") } ?? Engine.defaultAsOf(for: project.config)
        let templates = try Self.templates(for: project.config)
        // Opened for writing, as check opens it: the report is recorded in it once written (ReportRecording).
        let store = try StateStore.open(for: project.config)
        let ids = only.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let evaluation = try Engine.standard(history: store).evaluate(
            project, asOf: day, only: ids.isEmpty ? nil : ids)
        if let failure = store.historyFailure { throw failure }
        for dataset in evaluation.datasets {
            for problem in dataset.problems { printError(problem.description) }
        }
        let path = output ?? "report.\(format.rawValue)"
        let files = try ReportWriter.write(
            evaluation, project: project, format: format, to: path, templates: templates, engine: Engine.standard())
        let charts =
            files.count > 1
            ? " and \(files.count - 1) charts in \((files[1] as NSString).deletingLastPathComponent)/" : ""
        printError("wrote \(path)\(charts) as of \(day.iso)")
        try ReportRecording.record(path, format: format, asOf: day, only: ids, in: store)
        // The report shows what could not be read; the run still says it could not do everything.
        if evaluation.exitCode == 3 {
            printError("error: some data could not be read or is stale: the report's data-quality section says which")
            throw couldNotEvaluate
        }
    }
}

extension ReportCommand {
    /// The default templates with the project's own (`report: { templates: DIR }`) over them; also what `validate`
    /// checks.
    static func templates(for config: ProjectConfig) throws -> ReportTemplates {
        guard let defaults = BundledReportTemplates.directory else {
            throw Diagnostic(
                "the default report templates are missing",
                hint: "looked for them in \(BundledReportTemplates.searched.joined(separator: ", "))")
        }
        return try ReportTemplates(
            defaults: defaults, overrides: config.report.templates, overridesLocation: config.report.templatesLocation)
    }
}

extension ReportFormat: ExpressibleByArgument {}
