/// Stage 2: holds back alerts that a worse one already says. A critical alert holds back warnings of the same
/// measure (its `measure` label, else its rule) for the same group and case; a rule's `inhibits:` holds back the
/// named rules' alerts for the same group and case ("past 52 weeks" over "past 30 weeks").
struct Inhibition {
    var policies: [String: AlertPolicy]

    /// Identity → why it is held back.
    func inhibited(_ firing: [AlertRecord]) -> [String: String] {
        var result: [String: String] = [:]
        let alerts = firing.map(\.alert)
        for target in alerts {
            for source in alerts where source.identity != target.identity && same(source, target) {
                if source.severity == "critical", target.severity == "warning", measure(source) == measure(target) {
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

    private func same(_ a: Alert, _ b: Alert) -> Bool { a.group == b.group && a.key == b.key }

    private func measure(_ alert: Alert) -> String { alert.labels["measure"] ?? alert.rule }
}
