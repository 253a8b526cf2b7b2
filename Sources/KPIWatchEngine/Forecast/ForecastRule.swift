import KPIWatchCore

/// A rule file's `forecasts:` entry (docs/forecasts.md), as written: names and expressions keep
/// their locations so that `RuleCompiler` can point into the YAML when a field does not exist.
package struct ForecastRule: Sendable {
    package var id: String
    package var title: String
    package var description: String?
    package var dataset: LocatedName
    package var start: LocatedName
    /// The first is the outcome; the others close a case without one.
    package var ends: [LocatedName]
    package var deadlineDays: Int
    package var whereClause: LocatedText?
    /// Fields `where` reads that may be filled in while a case runs (`recorded_late:`, e.g. an exception
    /// reason): a forecast for a day before the data was read does not know them for a running case.
    package var recordedLate: [LocatedName] = []
    package var stages: [LocatedName]
    package var trainingWindowMonths: Int?
    package var by: LocatedName?
    package var minimumSample: Int
    package var workload: WorkloadRule?
    package var file: String
    package var location: SourceLocation

    package var settings: BreachSettings {
        BreachSettings(
            deadlineDays: deadlineDays, trainingWindowMonths: trainingWindowMonths, minimumSample: minimumSample)
    }
}

/// A forecast's `workload:` settings: where the assessment officers' FTE comes from, and the
/// simulation's length, runs, seed and scenarios.
package struct WorkloadRule: Sendable {
    package var staff: LocatedName?
    package var staffWhere: LocatedText?
    package var fte: LocatedName?
    package var months: Int
    package var runs: Int
    package var seed: UInt64
    package var scenarios: [WorkloadScenario]
    package var location: SourceLocation

    package static let defaultMonths = 6
    package static let defaultRuns = 500
    package static let defaultSeed: UInt64 = 2026
}
