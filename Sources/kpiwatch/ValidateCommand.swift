import ArgumentParser
import KPIWatch
import KPIWatchCore
import KPIWatchEngine

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Load and type-check the project, its rules and its datasets' headers; report every error."
    )

    @OptionGroup var options: ConfigOption

    func run() throws {
        let engine = Engine.standard()
        let diagnostics = engine.validate(configPath: options.config)
        if diagnostics.isEmpty {
            let project = try? engine.load(configPath: options.config)
            let kpis = project?.compiled.kpiIDs.count ?? 0
            let cases = project?.compiled.caseAlertIDs.count ?? 0
            print(
                "\(options.config): OK (\(kpis) KPIs, \(cases) case alerts, \(project?.config.datasets.count ?? 0) datasets)"
            )
            return
        }
        report(diagnostics)
        printError("\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in \(options.config)")
        throw couldNotEvaluate
    }
}
