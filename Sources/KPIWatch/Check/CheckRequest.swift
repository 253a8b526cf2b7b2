import Foundation
import KPIWatchCore

/// What `kpiwatch check` is asked to do.
public struct CheckRequest: Sendable {
    public var configPath: String
    /// Nil: the project's pinned `as_of`, else today in its time zone.
    public var asOf: Day?
    /// KPI and case-alert ids to evaluate (with what they depend on); empty for all.
    public var only: [String]
    /// Send nothing and change no state.
    public var dryRun: Bool
    /// The output format the run prints in (`text`, `json`, `csv`, `openmetrics`), which the stdout sink follows.
    public var format: String
    /// `--all`: the text lists every KPI and every alert, not the breaches and the first cases of each rule.
    public var listAll: Bool
    public var environment: [String: String]
    public var now: Date

    public init(
        configPath: String, asOf: Day? = nil, only: [String] = [], dryRun: Bool = false, format: String = "text",
        listAll: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()
    ) {
        self.configPath = configPath
        self.asOf = asOf
        self.only = only
        self.dryRun = dryRun
        self.format = format
        self.listAll = listAll
        self.environment = environment
        self.now = now
    }
}
