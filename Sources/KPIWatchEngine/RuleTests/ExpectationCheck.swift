import KPIWatchCore

/// Compares a test's expectations with one evaluation; each mismatch is a diagnostic at the expectation's line
/// that says what was expected and what the rules gave.
package struct ExpectationCheck {
    package let evaluation: Evaluation

    package func check(_ test: RuleTest) -> [Diagnostic] {
        var failures = test.expectedKPIs.compactMap(check)
        var matched = Set<Int>()
        for expected in test.expectedAlerts {
            if let failure = check(expected, matched: &matched) { failures.append(failure) }
        }
        if let location = test.onlyExpectedAlerts {
            let others = evaluation.alerts.indices.filter { !matched.contains($0) }.map { evaluation.alerts[$0] }
            if !others.isEmpty {
                let shown = others.prefix(10).map(Self.describe).joined(separator: "; ")
                let more = others.count > 10 ? "; … (\(others.count) in all)" : ""
                failures.append(
                    Diagnostic(
                        "expected no other alerts, got \(others.count): \(shown)\(more)", at: location,
                        hint: "add them to 'expect_alerts', or fix the rule that raised them"))
            }
        }
        return failures
    }

    private func check(_ expected: KPIExpectation) -> Diagnostic? {
        let values = evaluation.results.filter { $0.id == expected.id && $0.groupDictionary == expected.group }
        let what =
            "\(expected.id) (\(expected.period.map { "period \($0)" } ?? "current period"), \(Self.describe(group: expected.group)))"
        guard let result = values.first(where: { expected.period == nil ? $0.current : $0.period == expected.period })
        else {
            let hint: String
            if values.isEmpty {
                let groups = Set(
                    evaluation.results.filter { $0.id == expected.id }.map { Self.describe(group: $0.groupDictionary) })
                hint =
                    "its groups are: " + (groups.isEmpty ? "none (no value)" : groups.sorted().joined(separator: "; "))
            } else {
                hint = "its periods are: " + values.map(\.period).joined(separator: ", ")
            }
            return Diagnostic("\(what): expected a value, got none", at: expected.location, hint: hint)
        }
        var mismatches: [String] = []
        if let wanted = expected.value {
            switch (wanted, result.value) {
            case (nil, nil): break
            case (let wanted?, let got?) where abs(wanted - got) <= expected.tolerance: break
            default:
                let tolerance =
                    expected.tolerance == KPIExpectation.defaultTolerance
                    ? "" : " (± \(Self.number(expected.tolerance)))"
                mismatches.append(
                    "value expected \(wanted.map(Self.number) ?? "null")\(tolerance), got \(result.value.map(Self.number) ?? "null")"
                )
            }
        }
        if let state = expected.state, state != result.state {
            mismatches.append("state expected \(state.rawValue), got \(result.state.rawValue)")
        }
        if let count = expected.count, count != result.count {
            mismatches.append("count expected \(count), got \(result.count.map(String.init) ?? "null")")
        }
        guard !mismatches.isEmpty else { return nil }
        let period =
            expected.period == nil
            ? what.replacingOccurrences(of: "current period", with: "current period \(result.period)") : what
        return Diagnostic("\(period): " + mismatches.joined(separator: "; "), at: expected.location)
    }

    private func check(_ expected: AlertExpectation, matched: inout Set<Int>) -> Diagnostic? {
        let candidates = evaluation.alerts.indices.filter { index in
            let alert = evaluation.alerts[index]
            return alert.rule == expected.rule && (expected.key == nil || alert.key == expected.key)
                && (expected.group == nil || alert.group == expected.group)
        }
        var wanted = "alert \(expected.rule)"
        if let key = expected.key { wanted += " key \(key)" }
        if let group = expected.group { wanted += " (\(Self.describe(group: group)))" }
        guard !candidates.isEmpty else {
            let fired = evaluation.alerts.filter { $0.rule == expected.rule }
            let got = fired.isEmpty ? "none of that rule" : fired.prefix(10).map(Self.describe).joined(separator: "; ")
            return Diagnostic("expected \(wanted), got \(got)", at: expected.location)
        }
        let index =
            candidates.first { expected.severity == nil || evaluation.alerts[$0].severity == expected.severity }
            ?? candidates[0]
        matched.formUnion(candidates)
        let alert = evaluation.alerts[index]
        if let severity = expected.severity, alert.severity != severity {
            return Diagnostic("\(wanted): severity expected \(severity), got \(alert.severity)", at: expected.location)
        }
        return nil
    }

    package static func describe(_ alert: Alert) -> String {
        var text = "\(alert.rule)"
        if let key = alert.key { text += " key \(key)" }
        if !alert.group.isEmpty { text += " (\(describe(group: alert.group)))" }
        return text + " \(alert.severity)"
    }

    package static func describe(group: [String: String]) -> String {
        group.isEmpty ? "overall" : group.keys.sorted().map { "\($0): \(group[$0]!)" }.joined(separator: ", ")
    }

    /// As JSON writes it: whole numbers without a decimal point, others with every digit, since a test compares
    /// exactly.
    package static func number(_ value: Double) -> String { JSONValue.number(value).serialized }
}
