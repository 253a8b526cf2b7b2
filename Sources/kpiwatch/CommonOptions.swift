import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchCore
import Logging

struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The project file.")
    var config: String = "kpiwatch.yaml"
}

/// Prints a loader's diagnostics on standard error, one per line, as `file:line:column: error: …`.
func report(_ diagnostics: [Diagnostic]) {
    for diagnostic in diagnostics { printError(diagnostic.description) }
}

func printError(_ text: String) {
    // What was printed before stays before: standard output is buffered, standard error is not.
    fflush(nil)
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A date option's value; a bad one is an error (exit 3) that names the option.
func parseDay(_ text: String, option: String) throws -> Day {
    guard let day = Day(iso: text) else {
        throw Diagnostic("\(option) '\(text)' is not a date", hint: "write it as yyyy-MM-dd, e.g. 2023-01-31")
    }
    return day
}

/// Exit 3: the project could not be evaluated (bad configuration or data).
let couldNotEvaluate = ExitCode(3)

/// Run logging on standard error. Logs carry dataset names, counts and case ids, never a record's
/// personal fields (rules cannot put one into an alert, and the reader never logs values).
func makeLogger(verbose: Bool) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        // The library logs its detail (each notice's fate in delivery) at debug.
        handler.logLevel = verbose ? .debug : .notice
        return handler
    }
    return Logger(label: "kpiwatch")
}
