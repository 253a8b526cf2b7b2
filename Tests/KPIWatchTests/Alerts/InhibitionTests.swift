import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Inhibition buckets alerts by group and case instead of comparing every pair; on random alerts it holds back
/// exactly what the pairwise definition does, naming the same inhibitor.
@Suite struct InhibitionTests {
    /// The definition, one pair at a time (what `Inhibition` did before it was made linear).
    func pairwise(_ firing: [AlertRecord], policies: [String: AlertPolicy]) -> [String: String] {
        var result: [String: String] = [:]
        let alerts = firing.map(\.alert)
        func measure(_ alert: Alert) -> String { alert.labels["measure"] ?? alert.rule }
        for target in alerts {
            for source in alerts
            where source.identity != target.identity && source.group == target.group && source.key == target.key {
                if source.severity == .critical, target.severity == .warning, measure(source) == measure(target) {
                    result[target.identity] = "inhibited by \(source.rule)"
                    break
                }
                if policies[source.rule]?.inhibits.contains(where: { $0.name == target.rule }) == true {
                    result[target.identity] = "inhibited by \(source.rule)"
                    break
                }
            }
        }
        return result
    }

    @Test func bucketedInhibitionMatchesThePairwiseDefinition() {
        var generator = SystemRandomNumberGenerator()
        let rules = ["r0", "r1", "r2", "r3", "r4"]
        let day = Day(iso: "2026-10-29")!
        for round in 0..<200 {
            var policies: [String: AlertPolicy] = [:]
            for rule in rules {
                let inhibits = rules.filter { _ in Int.random(in: 0..<4, using: &generator) == 0 }
                policies[rule] = AlertPolicy(
                    inhibits: inhibits.map { LocatedName($0, at: SourceLocation(file: "r", line: 1, column: 1)) })
            }
            var seen: Set<String> = []
            var firing: [AlertRecord] = []
            for _ in 0..<Int.random(in: 0..<40, using: &generator) {
                let alert = Alert(
                    kind: .caseAlert, rule: rules.randomElement(using: &generator)!, title: "t",
                    severity: AlertSeverity.allCases.randomElement(using: &generator)!,
                    group: Bool.random(using: &generator)
                        ? ["team": ["North", "South"].randomElement(using: &generator)!] : [:],
                    key: ["C1", "C2", nil].randomElement(using: &generator)!,
                    labels: Bool.random(using: &generator)
                        ? ["measure": ["m1", "m2"].randomElement(using: &generator)!] : [:],
                    message: "m")
                guard seen.insert(alert.identity).inserted else { continue }
                firing.append(AlertRecord(alert: alert, state: .firing, firstSeen: day, lastSeen: day))
            }
            #expect(
                Inhibition(policies: policies).inhibited(firing) == pairwise(firing, policies: policies),
                "round \(round)")
        }
    }
}
