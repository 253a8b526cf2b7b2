import ArgumentParser
import KPIWatch

@main
struct KPIWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpiwatch",
        abstract: "Evaluate SEND KPIs written in YAML over case data and raise alerts.",
        subcommands: [
            CheckCommand.self, ValidateCommand.self, BenchmarksCommand.self, SilenceCommand.self, OutboxCommand.self,
            PluginsCommand.self,
        ],
        defaultSubcommand: CheckCommand.self
    )
}
