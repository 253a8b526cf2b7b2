import Foundation

@testable import KPIWatchEngine

/// The standard pack's fixture projects (Fixtures/pack/NAME/kpiwatch.yaml): small hand-built exports
/// evaluated with rules/send, whose expected values are worked out by hand in the tests.
enum PackFixture {
    static func evaluate(_ project: String, asOf: String, only: [String]? = nil) throws -> Evaluation {
        try evaluateProject(TestPaths.fixture("pack/\(project)/kpiwatch.yaml"), asOf: asOf, only: only)
    }
}

extension Evaluation {
    /// The alert a KPI raised for one group (the overall value when `group` is empty).
    func alert(_ rule: String, group: [String: String] = [:]) -> Alert? {
        alerts.first { $0.rule == rule && $0.group == group && $0.key == nil }
    }

    /// The alerts of one case-alert rule, in the order the records were read.
    func caseAlerts(_ rule: String) -> [Alert] {
        alerts.filter { $0.rule == rule && $0.kind == .caseAlert }
    }

    /// One KPI value by period label.
    func value(_ id: String, period: String, group: [String: String] = [:]) -> KPIResult? {
        values(of: id, group: group).first { $0.period == period }
    }
}
