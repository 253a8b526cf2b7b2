import Foundation
import KPIWatchCore

/// The KPI exports: printed by `kpiwatch check --format csv|openmetrics`, and written on every run by a `file`
/// sink with `format: kpi_csv` or `format: openmetrics` (for Power BI/Excel, or node_exporter's textfile
/// collector).
public enum KPIExport: String, CaseIterable, Sendable {
    case csv, openmetrics

    public func render(_ evaluation: Evaluation, project: LoadedProject) -> String {
        switch self {
        case .csv: return KPICSV.render(evaluation, project: project)
        case .openmetrics: return OpenMetrics.render(evaluation, project: project)
        }
    }

    /// Whether a run printing in `format` prints an export, so standard output must carry nothing else.
    public static func isExport(_ format: String) -> Bool { KPIExport(rawValue: format) != nil }
}
