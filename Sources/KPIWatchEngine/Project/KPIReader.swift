import Foundation
import KPIWatchCore
import Yams

/// One entry of a rule file's `kpis:` list, with the structural checks that need no dataset: which periods need a
/// `date`, where `cumulative` makes sense, and what a KPI built on other KPIs may not have.
package enum KPIReader {
    package static func read(
        _ node: Node, in document: YAMLDocument, ids: inout IDRegistry, _ diagnostics: inout DiagnosticCollector
    ) -> KPIRule? {
        guard var kpi = YAMLMapping(node, in: document, subject: "a KPI", &diagnostics) else { return nil }
        let (id, subject) = RuleLoader.identify(kpi, kind: "KPI", ids: &ids, &diagnostics)
        kpi.subject = subject
        kpi.checkKeys(RuleLoader.kpiKeys, &diagnostics)
        let title = kpi.string("title", &diagnostics)
        let description = kpi.string("description", &diagnostics)
        let basis = kpi.string("basis", &diagnostics)
        let dataset = kpi.name("dataset", &diagnostics)
        let whereClause = kpi.text("where", isExpression: true, &diagnostics)
        let date = kpi.text("date", isExpression: true, &diagnostics)
        let period: PeriodKind? = kpi.choice("period", &diagnostics)
        let history = kpi.int("history", atLeast: 1, atMost: KPIRule.maxHistory, &diagnostics)
        let cumulative = kpi.bool("cumulative", &diagnostics)
        let value = kpi.text("value", isExpression: true, &diagnostics)
        let groupBy = kpi.names("group_by", &diagnostics)
        let unit: Unit? = kpi.choice("unit", &diagnostics)
        let higherIsBetter = kpi.bool("higher_is_better", &diagnostics)
        let thresholds = self.thresholds(of: kpi, &diagnostics)
        let forPeriods = kpi.int("for", atLeast: 1, atMost: KPIRule.maxHistory, &diagnostics)
        let minCount = kpi.int("min_count", atLeast: 0, &diagnostics)
        let noData: NoDataPolicy? = kpi.choice("no_data", &diagnostics)
        let labels = RuleLoader.templateLabels(kpi, &diagnostics).mapValues(\.text)
        let message = kpi.text("message", isExpression: false, &diagnostics)
        let policy = AlertPolicy.read(kpi, &diagnostics)
        if value == nil, kpi.value("value") == nil {
            kpi.missing(
                "value", hint: "give the expression that computes it, e.g. value: percent(days_to_plan <= 140)",
                &diagnostics)
        }
        checkPeriod(kpi, hasDataset: dataset != nil, period: period, &diagnostics)
        if cumulative == true { checkCumulative(kpi, hasDataset: dataset != nil, period: period, &diagnostics) }
        guard let id, let value else { return nil }
        var rule = KPIRule(
            id: id, title: title ?? id, description: description, basis: basis, dataset: dataset,
            whereClause: whereClause, date: date, period: period, history: history ?? 1,
            cumulative: cumulative ?? false,
            value: value, groupBy: groupBy, unit: unit ?? .number, higherIsBetter: higherIsBetter,
            thresholds: thresholds, forPeriods: forPeriods, minCount: minCount, noData: noData ?? .ignore,
            labels: labels, message: message, file: document.file, location: kpi.location)
        rule.policy = policy
        return rule
    }

    private static func checkPeriod(
        _ kpi: YAMLMapping, hasDataset: Bool, period: PeriodKind?, _ diagnostics: inout DiagnosticCollector
    ) {
        let periods = PeriodKind.allCases.map(\.rawValue).joined(separator: ", ")
        if hasDataset {
            if kpi.value("period") == nil {
                kpi.missing("period", hint: "one of \(periods)", &diagnostics)
            } else if let period, period.needsDate, kpi.value("date") == nil {
                diagnostics.add(
                    Diagnostic(
                        "\(kpi.subject) has period '\(period.rawValue)' but no 'date'",
                        at: kpi.valueLocation("period"),
                        hint: "add 'date: FIELD', the date that places a record in a period; "
                            + "only snapshot and all need none"))
            }
            return
        }
        guard kpi.entry("dataset") == nil else { return }
        if let location = kpi.keyLocation("period") {
            diagnostics.add(
                Diagnostic(
                    "a KPI without dataset takes its period from the KPIs it references", at: location,
                    hint: "remove 'period', or add 'dataset:' to count records"))
        }
        for key in ["where", "date"] {
            guard let location = kpi.keyLocation(key) else { continue }
            diagnostics.add(
                Diagnostic(
                    "a KPI without dataset has no records for '\(key)' to apply to", at: location,
                    hint: "remove '\(key)', or add 'dataset:' to count records"))
        }
    }

    private static func checkCumulative(
        _ kpi: YAMLMapping, hasDataset: Bool, period: PeriodKind?, _ diagnostics: inout DiagnosticCollector
    ) {
        let hint = "a cumulative value runs from the start of the year to the end of each month or quarter"
        if let period, period != .month, period != .quarter {
            diagnostics.add(
                Diagnostic(
                    "'cumulative: true' needs period month or quarter; got '\(period.rawValue)'",
                    at: kpi.valueLocation("cumulative"), hint: hint))
        } else if !hasDataset, kpi.entry("dataset") == nil {
            diagnostics.add(
                Diagnostic(
                    "'cumulative: true' needs a dataset and period month or quarter",
                    at: kpi.valueLocation("cumulative"), hint: hint))
        }
    }

    /// In the order written: the first condition that holds sets the severity.
    private static func thresholds(of kpi: YAMLMapping, _ diagnostics: inout DiagnosticCollector) -> [Threshold] {
        guard let mapping = kpi.mapping("thresholds", subject: "'thresholds' of \(kpi.subject)", &diagnostics) else {
            return []
        }
        mapping.checkKeys(Severity.allCases.map(\.rawValue), &diagnostics)
        var thresholds: [Threshold] = []
        for entry in mapping.entries {
            guard let severity = Severity(rawValue: entry.key) else { continue }
            if let condition = mapping.text(entry.key, isExpression: true, &diagnostics) {
                thresholds.append(Threshold(severity: severity, condition: condition))
            } else if mapping.value(entry.key) == nil {
                diagnostics.add(
                    Diagnostic(
                        "threshold '\(entry.key)' of \(kpi.subject) has no condition",
                        at: mapping.document.location(of: entry.keyNode), hint: "for example \(entry.key): value < 70"))
            }
        }
        return thresholds
    }
}
