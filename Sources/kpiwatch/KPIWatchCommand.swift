import ArgumentParser
import KPIWatch

@main
struct KPIWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpiwatch",
        abstract: "Evaluate SEND KPIs written in YAML over case data and raise alerts.",
        subcommands: [CheckCommand.self, ValidateCommand.self, PluginsCommand.self],
        defaultSubcommand: CheckCommand.self
    )
}
