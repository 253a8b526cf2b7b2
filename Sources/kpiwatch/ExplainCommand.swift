import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchCore
import KPIWatchEngine
import KPIWatchReport

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "List the records behind a KPI value: which made it, which met its condition, the arithmetic.",
        discussion: """
            For percent(cond) and count(cond), every record counted with met true or false and the fields the rule \
            reads; for a snapshot, the records open on its date; for a KPI built on KPIs, the inputs and the \
            arithmetic. Personal fields are withheld unless --show-personal. Sends nothing and changes no state. \
            Exit status: 0 explained, 3 not (an unknown KPI, period or group, or data that could not be read).
            """
    )

    @OptionGroup var options: ConfigOption

    @Argument(help: "The KPI's id.")
    var id: String

    @Option(help: "The period, as check labels it (2026-10, 2026-Q3, 2026 YTD, …). Default: the current period.")
    var period: String?

    @Option(
        name: .long, parsing: .upToNextOption,
        help: "The group, one FIELD=VALUE per group_by field (team=North). Default: the overall value.")
    var group: [String] = []

    @Option(
        name: .customLong("as-of"),
        help: "Evaluate as of this date (yyyy-MM-dd). Default: the project's as_of, else today in its time zone.")
    var asOf: String?

    @Option(help: "text (a table), csv (a header of field names, the key field first, met true/false) or json.")
    var format: ExplanationOutput = .text

    @Flag(name: .customLong("show-personal"), help: "Show the values of personal fields (withheld by default).")
    var showPersonal = false

    func run() throws {
        var wanted: [String: String] = [:]
        for pair in group.flatMap({ $0.split(separator: ",").map(String.init) }) {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw Diagnostic("--group '\(pair)' is not FIELD=VALUE", hint: "e.g. --group team=North")
            }
            wanted[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let engine = Engine.standard()
        let project = try engine.load(configPath: options.config, includingSinks: false)
        let day = try asOf.map { try parseDay($0, option: "--as-of") } ?? Engine.defaultAsOf(for: project.config)
        let evaluation = try engine.evaluate(project, asOf: day, only: try KPIExplainer.evaluated(for: id, in: project))
        let failed = evaluation.datasets.filter { $0.status != .ok }
        for dataset in failed {
            for problem in dataset.problems { printError(problem.description) }
        }
        if !failed.isEmpty { throw couldNotEvaluate }
        let explanation = try KPIExplainer(engine: engine, project: project, evaluation: evaluation).explain(
            id, period: period, group: wanted, showPersonal: showPersonal)
        print(format.render(explanation), terminator: "")
    }
}

extension ExplanationOutput: ExpressibleByArgument {}
