import ArgumentParser
import KPIWatch
import KPIWatchCore
import KPIWatchEngine
import KPIWatchReport

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Load and type-check the project, its rules and its datasets' headers; report every error."
    )

    @OptionGroup var options: ConfigOption

    func run() throws {
        let engine = Engine.standard()
        var diagnostics = engine.validate(configPath: options.config)
        // A project's own report templates are checked too: a mistake there would otherwise wait for the next report.
        if let config = try? Engine.standard().loadConfig(path: options.config), config.report.templates != nil {
            do {
                _ = try ReportCommand.templates(for: config)
            } catch let error as Diagnostics {
                diagnostics += error.items
            } catch let error as Diagnostic {
                diagnostics.append(error)
            }
        }
        if diagnostics.isEmpty {
            let project = try? engine.load(configPath: options.config)
            let kpis = project?.compiled.kpiIDs.count ?? 0
            let cases = project?.compiled.caseAlertIDs.count ?? 0
            print(
                "\(options.config): OK (\(Counted.text(kpis, "KPI")), \(Counted.text(cases, "case alert")), "
                    + "\(Counted.text(project?.config.datasets.count ?? 0, "dataset")))"
            )
            return
        }
        report(diagnostics)
        printError("\(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s") in \(options.config)")
        throw couldNotEvaluate
    }
}
