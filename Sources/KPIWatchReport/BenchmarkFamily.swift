import KPIWatchCore

/// The geography a benchmark's name says it is for, as `kpiwatch benchmarks` names them (`national_timeliness_20w`,
/// `request_rate_statistical_neighbours`), and the measure it shares with its siblings: a chart draws a KPI's
/// national line beside its statistical neighbours', and the comparison chart sets this LA against all of them.
package struct BenchmarkFamily: Hashable {
    package enum Level: String, CaseIterable {
        case la
        case statisticalNeighbours = "statistical_neighbours"
        case regional, national

        package var label: String {
            switch self {
            case .la: return "This LA (published)"
            case .statisticalNeighbours: return "Statistical neighbours"
            case .regional: return "Region"
            case .national: return "England"
            }
        }
    }

    package var measure: String
    package var level: Level

    /// nil for a name that carries no geography (a local target, a list of codes).
    package init?(name: String) {
        for level in Level.allCases {
            if name.hasPrefix(level.rawValue + "_") {
                measure = String(name.dropFirst(level.rawValue.count + 1))
                self.level = level
                return
            }
            if name.hasSuffix("_" + level.rawValue) {
                measure = String(name.dropLast(level.rawValue.count + 1))
                self.level = level
                return
            }
        }
        return nil
    }

    /// How a line or a bar names a benchmark: its geography, or its own name made readable (`target timeliness 20w`).
    package static func label(of name: String) -> String {
        if let family = BenchmarkFamily(name: name) { return family.level.label }
        for prefix in ["target_", "ceiling_"] where name.hasPrefix(prefix) {
            return prefix.dropLast() == "target" ? "target" : "ceiling"
        }
        return name.replacingOccurrences(of: "_", with: " ")
    }
}
