import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchEngine

/// Every rule in the standard pack explains itself to a manager without the YAML, and is listed in the pack's
/// field dictionary (rules/send/README.md).
@Suite struct PackCatalogueTests {
    func rules() throws -> RuleSet {
        try Engine.standard().load(configPath: TestPaths.repo("examples/demo/kpiwatch.yaml")).rules
    }

    func blank(_ text: String?) -> Bool { (text ?? "").trimmingCharacters(in: .whitespaces).isEmpty }

    @Test func everyKPIHasATitleDescriptionBasisAndMessage() throws {
        let kpis = try rules().kpis
        #expect(kpis.count >= 50)
        for kpi in kpis {
            #expect(!blank(kpi.title) && kpi.title != kpi.id, "\(kpi.id): title")
            #expect(!blank(kpi.description), "\(kpi.id): description")
            #expect(!blank(kpi.basis), "\(kpi.id): basis")
            #expect(!blank(kpi.message?.text), "\(kpi.id): message")
        }
    }

    @Test func everyCaseAlertHasATitleDescriptionBasisAndMessageNamingTheCase() throws {
        let alerts = try rules().caseAlerts
        #expect(alerts.count == 10)
        for alert in alerts {
            #expect(!blank(alert.title), "\(alert.id): title")
            #expect(!blank(alert.description), "\(alert.id): description")
            #expect(!blank(alert.basis), "\(alert.id): basis")
            #expect(alert.message?.text.contains("{case_id}") == true, "\(alert.id): message")
            #expect(alert.message?.text.contains("{caseworker}") == true, "\(alert.id): message")
        }
    }

    @Test func theFieldDictionaryListsEveryRule() throws {
        let readme = try String(contentsOfFile: TestPaths.repo("rules/send/README.md"), encoding: .utf8)
        let set = try rules()
        for id in set.kpis.map(\.id) + set.caseAlerts.map(\.id) {
            #expect(readme.contains("`\(id)`"), "\(id) is not in rules/send/README.md")
        }
    }
}
