import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchCore

@main
struct KPIWatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpiwatch",
        abstract: "Evaluate SEND KPIs written in YAML over case data and raise alerts.",
        subcommands: [
            CheckCommand.self, ValidateCommand.self, BenchmarksCommand.self, SilenceCommand.self, OutboxCommand.self,
            PluginsCommand.self, TestCommand.self, ReportCommand.self, ExplainCommand.self, ForecastCommand.self,
        ],
        defaultSubcommand: CheckCommand.self
    )

    /// Exit statuses are the contract's: 0 all OK, 1 a warning, 2 a critical, and 3 for anything that went wrong,
    /// a usage mistake or an unexpected error included (ArgumentParser alone would exit 64 or 1, and 1 means "a
    /// warning"), always with one line on standard error that says what failed.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
            if let diagnostics = error as? Diagnostics {
                report(diagnostics.items)
            } else if let diagnostic = error as? Diagnostic {
                report([diagnostic])
            } else {
                printError("error: " + oneLine(message(for: error)))
            }
            exit(withError: couldNotEvaluate)
        }
    }

    private static func oneLine(_ text: String) -> String {
        var line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("Error: ") { line.removeFirst("Error: ".count) }
        return line.split(whereSeparator: \.isNewline).joined(separator: "; ")
    }
}
