import KPIWatchCore

/// The monthly figures a workload projection gives, named as they appear in its CSV.
package enum WorkloadMeasure: String, Sendable, CaseIterable {
    /// Requests received in the month.
    case requests
    /// Clocks still running at the end of the month.
    case openAssessments = "open_assessments"
    /// Outcomes (final plans) in the month.
    case plansIssued = "plans_issued"
    /// Percent of the month's plans issued within the deadline.
    case timeliness = "timeliness"
}

/// What actually happened in one calendar month, read from the cases with only the dates known by
/// `asOf`: the figures a projection is checked against, and the throughput history it starts from.
package struct MonthFigures: Sendable, Equatable {
    package var requests = 0
    package var openAtEnd = 0
    package var plansIssued = 0
    package var plansOnTime = 0

    package var timeliness: Double? {
        plansIssued == 0 ? nil : 100 * Double(plansOnTime) / Double(plansIssued)
    }

    package func value(_ measure: WorkloadMeasure) -> Double? {
        switch measure {
        case .requests: return Double(requests)
        case .openAssessments: return Double(openAtEnd)
        case .plansIssued: return Double(plansIssued)
        case .timeliness: return timeliness
        }
    }

    /// The figures of the month starting `month`, counted from `cases` as known on `asOf` (on or
    /// after the month's end for a complete month).
    package static func count(_ cases: [ClockCase], month: Day, asOf: Day, deadlineDays: Int) -> MonthFigures {
        let first = month.firstOfMonth
        let last = min(month.lastOfMonth, asOf)
        var figures = MonthFigures()
        for item in cases {
            guard let seen = item.observed(asOf: last) else { continue }
            if item.start >= first { figures.requests += 1 }
            if seen.isRunning {
                figures.openAtEnd += 1
            } else if seen.stoppedBy == 0, item.start.adding(days: seen.days) >= first {
                figures.plansIssued += 1
                if seen.days <= deadlineDays { figures.plansOnTime += 1 }
            }
        }
        return figures
    }
}
