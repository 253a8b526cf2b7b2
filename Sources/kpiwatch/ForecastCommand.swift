import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchCore
import KPIWatchEngine

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Each open case's chance of missing its deadline, the next months' workload, or a backtest of both.",
        discussion: """
            FORECAST is the id of a forecast in the rule files (docs/forecasts.md). --cases lists the open cases \
            (key, p_breach, age, stage; no other field of the record); --workload prints month, measure, p10, p50, \
            p90; --backtest replays the history at month ends and prints the tables docs/forecasts.md shows. \
            Sends nothing and changes no state. Exit status: 0 done, 3 not done (bad configuration or data).
            """
    )

    @OptionGroup var options: ConfigOption

    @Argument(help: "The forecast's id.")
    var forecast: String

    @Flag(help: "List each open case with its chance of missing the deadline.")
    var cases = false

    @Flag(help: "Project requests, open assessments, plans issued and timeliness.")
    var workload = false

    @Flag(help: "Replay the history and score both forecasts.")
    var backtest = false

    @Option(
        name: .customLong("as-of"),
        help: "Forecast as of this date (yyyy-MM-dd). Default: the project's as_of, else today in its time zone.")
    var asOf: String?

    @Option(help: "text, csv or json (one object per line).")
    var format: ForecastTable.Format = .text

    @Option(help: "Months to project (--workload). Default: the forecast's workload months, else 6.")
    var months: Int?

    @Option(help: "A scenario of the forecast's workload: (--workload).")
    var scenario: String?

    func validate() throws {
        guard [cases, workload, backtest].filter({ $0 }).count == 1 else {
            throw ValidationError("give one of --cases, --workload or --backtest")
        }
        if let months, !(1...60).contains(months) { throw ValidationError("--months must be from 1 to 60") }
    }

    func run() throws {
        let engine = Engine.standard()
        let project = try engine.load(configPath: options.config, includingSinks: false)
        let day = try asOf.map { try parseDay($0, option: "--as-of") } ?? Engine.defaultAsOf(for: project.config)
        let run = try ForecastRun(engine: engine, project: project, id: forecast)
        let output: String
        if cases {
            let listed = try run.cases(asOf: day)
            // The machine formats stay one table; the expected count is the text form's last line.
            output = listed.table.render(format) + (format == .text ? "\n" + listed.dueSoon.summary : "")
        } else if workload {
            output = try run.workload(asOf: day, months: months, scenario: scenario).render(format)
        } else {
            output = try run.backtest(extract: day)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

extension ForecastTable.Format: ExpressibleByArgument {}
