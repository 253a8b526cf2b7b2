import Foundation
import KPIWatchCore
import Yams

/// Reads rule files (RULES.md §2) into `KPIRule`s and `CaseAlertRule`s. Expressions and templates are kept as
/// located text for `RuleCompiler`; this checks the structure, and reports every mistake of every file at once.
public enum RuleLoader {
    package static let fileKeys = ["kpis", "case_alerts", "forecasts"]
    package static let kpiKeys =
        [
            "id", "title", "description", "basis", "dataset", "where", "date", "period", "history", "cumulative",
            "value",
            "group_by", "unit", "higher_is_better", "thresholds", "for", "min_count", "no_data", "labels", "message",
        ] + AlertPolicy.keys
    package static let caseAlertKeys =
        [
            "id", "title", "description", "basis", "dataset", "key", "where", "severity", "labels", "message",
        ] + AlertPolicy.keys
    package static let idRule = "lower-case letters, digits and _, starting with a letter"

    /// - Throws: `Diagnostics` with every error found. A file named in both lists is read as a benchmark file only,
    ///   so that `rules:` may name a folder that also holds the benchmarks.
    public static func load(ruleFiles: [String], benchmarkFiles: [String]) throws -> RuleSet {
        var diagnostics = DiagnosticCollector()
        let rules = read(ruleFiles: ruleFiles, benchmarkFiles: benchmarkFiles, &diagnostics)
        if !diagnostics.isEmpty { throw Diagnostics(inReadingOrder(diagnostics.items)) }
        return rules
    }

    /// Reads every rule file, recording each structural error in `diagnostics`. A rule with such an error is left
    /// out of the result and its id kept in `RuleSet.unchecked`, so that the sound rules can still be type-checked
    /// (and references to the broken one are not reported a second time).
    public static func read(
        ruleFiles: [String], benchmarkFiles: [String], _ diagnostics: inout DiagnosticCollector
    ) -> RuleSet {
        var rules = RuleSet()
        rules.benchmarks = BenchmarkLoader.read(files: benchmarkFiles, &diagnostics)
        let benchmarkPaths = Set(benchmarkFiles.map { ($0 as NSString).standardizingPath })
        var ids = IDRegistry()
        for file in ruleFiles where !benchmarkPaths.contains((file as NSString).standardizingPath) {
            let document: YAMLDocument
            do {
                document = try YAMLDocument.read(path: file, what: "rule file")
            } catch {
                diagnostics.add(error)
                continue
            }
            guard let root = document.root,
                let top = YAMLMapping(root, in: document, subject: "the rule file", &diagnostics)
            else {
                continue
            }
            top.checkKeys(fileKeys, &diagnostics)
            for node in top.list("kpis", &diagnostics) {
                let before = diagnostics.items.count
                let kpi = KPIReader.read(node, in: document, ids: &ids, &diagnostics)
                if let kpi, diagnostics.items.count == before {
                    rules.kpis.append(kpi)
                } else if let id = idOfBrokenRule(node, ids: ids, in: document) {
                    rules.unchecked.insert(id)
                }
            }
            for node in top.list("forecasts", &diagnostics) {
                let before = diagnostics.items.count
                if let forecast = ForecastReader.read(node, in: document, ids: &ids, &diagnostics),
                    diagnostics.items.count == before
                {
                    rules.forecasts.append(forecast)
                }
            }
            for node in top.list("case_alerts", &diagnostics) {
                let before = diagnostics.items.count
                let alert = caseAlert(node, in: document, ids: &ids, &diagnostics)
                if let alert, diagnostics.items.count == before {
                    rules.caseAlerts.append(alert)
                } else if let id = idOfBrokenRule(node, ids: ids, in: document) {
                    rules.unchecked.insert(id)
                }
            }
        }
        checkInhibits(rules, &diagnostics)
        return rules
    }

    /// The id a rule registered, when it has one of its own: a broken rule's id still names a KPI that others may
    /// reference.
    private static func idOfBrokenRule(_ node: Node, ids: IDRegistry, in document: YAMLDocument) -> String? {
        guard let value = node.mapping?["id"], let id = value.scalar?.string,
            ids.first[id] == document.location(of: value)
        else { return nil }
        return id
    }

    /// Reads and checks `id`, and names the rule for the messages about it. The id is nil when it is missing, not
    /// valid or already taken (each reported); the rule's other keys are still checked.
    package static func identify(
        _ rule: YAMLMapping, kind: String, ids: inout IDRegistry, _ diagnostics: inout DiagnosticCollector
    ) -> (id: String?, subject: String) {
        let line = rule.location.line
        guard let id = rule.string("id", &diagnostics) else {
            if rule.value("id") == nil {
                diagnostics.add(
                    Diagnostic(
                        "a \(kind) has no 'id'", at: rule.missingLocation("id"),
                        hint: "give it an id of \(idRule), unique across all rule files"))
            }
            return (nil, "the \(kind) at line \(line)")
        }
        let location = rule.valueLocation("id")
        guard isRuleID(id) else {
            diagnostics.add(
                Diagnostic(
                    "\(kind) id '\(id)' is not valid", at: location,
                    hint: "an id holds \(idRule), e.g. '\(suggestedID(id))'"))
            return (nil, "\(kind) '\(id)'")
        }
        if let first = ids.first[id] {
            diagnostics.add(Diagnostic("duplicate id '\(id)'", at: location, hint: "first defined at \(first)"))
            return (nil, "\(kind) '\(id)'")
        }
        ids.first[id] = location
        return (id, "\(kind) '\(id)'")
    }

    private static func caseAlert(
        _ node: Node, in document: YAMLDocument, ids: inout IDRegistry, _ diagnostics: inout DiagnosticCollector
    ) -> CaseAlertRule? {
        guard var alert = YAMLMapping(node, in: document, subject: "a case alert", &diagnostics) else { return nil }
        let (id, subject) = identify(alert, kind: "case alert", ids: &ids, &diagnostics)
        alert.subject = subject
        alert.checkKeys(caseAlertKeys, &diagnostics)
        let title = alert.string("title", &diagnostics)
        let description = alert.string("description", &diagnostics)
        let basis = alert.string("basis", &diagnostics)
        let dataset = alert.name("dataset", &diagnostics)
        let key = alert.text("key", isExpression: true, &diagnostics)
        let whereClause = alert.text("where", isExpression: true, &diagnostics)
        let severity: Severity? = alert.choice("severity", &diagnostics)
        let labels = templateLabels(alert, &diagnostics)
        let message = alert.text("message", isExpression: false, &diagnostics)
        let policy = AlertPolicy.read(alert, &diagnostics)
        if dataset == nil, alert.value("dataset") == nil {
            alert.missing(
                "dataset", hint: "name the dataset whose records it checks, one alert per record", &diagnostics)
        }
        if key == nil, alert.value("key") == nil {
            alert.missing("key", hint: "name the field that identifies a case, e.g. key: case_id", &diagnostics)
        }
        if whereClause == nil, alert.value("where") == nil {
            alert.missing("where", hint: "give the condition a record must meet to raise an alert", &diagnostics)
        }
        guard let id, let dataset, let key, let whereClause else { return nil }
        var rule = CaseAlertRule(
            id: id, title: title ?? id, description: description, basis: basis, dataset: dataset, key: key,
            whereClause: whereClause, severity: severity ?? .warning, labels: labels, message: message,
            file: document.file, location: alert.location)
        rule.policy = policy
        return rule
    }

    /// A rule's `labels`: each value is a template (over the record for a case alert, over the group
    /// fields for a KPI).
    package static func templateLabels(
        _ rule: YAMLMapping, _ diagnostics: inout DiagnosticCollector
    ) -> [String: LocatedText] {
        guard let labels = rule.mapping("labels", subject: "'labels' of \(rule.subject)", &diagnostics) else {
            return [:]
        }
        var result: [String: LocatedText] = [:]
        for entry in labels.entries {
            if let text = labels.text(entry.key, isExpression: false, &diagnostics) {
                result[entry.key] = text
            } else if labels.value(entry.key) == nil {
                diagnostics.add(
                    Diagnostic(
                        "label '\(entry.key)' of \(rule.subject) has no value",
                        at: labels.document.location(of: entry.keyNode), hint: "for example team: \"{team}\""))
            }
        }
        return result
    }

    /// `inhibits:` names rules by id; one that names no rule would silently inhibit nothing.
    private static func checkInhibits(_ rules: RuleSet, _ diagnostics: inout DiagnosticCollector) {
        let ids = rules.kpis.map(\.id) + rules.caseAlerts.map(\.id)
        let known = Set(ids).union(rules.unchecked)
        let named =
            rules.kpis.map { ($0.id, $0.policy.inhibits) } + rules.caseAlerts.map { ($0.id, $0.policy.inhibits) }
        for (owner, inhibits) in named {
            for target in inhibits where !known.contains(target.name) || target.name == owner {
                let message =
                    target.name == owner
                    ? "rule '\(owner)' cannot inhibit itself"
                    : "'inhibits' of rule '\(owner)' names '\(target.name)', which is not a KPI or case alert id"
                diagnostics.add(
                    Diagnostic(
                        message, at: target.location,
                        hint: suggestion(for: target.name, in: ids.filter { $0 != owner }, noun: "rule ids")))
            }
        }
    }

    package static func isRuleID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func suggestedID(_ text: String) -> String {
        var id = String(text.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
        while id.first.map({ !$0.isLetter }) ?? false { id.removeFirst() }
        return id.isEmpty ? "my_kpi" : id
    }
}

/// Where each rule id was first defined: ids are unique across all files, KPIs and case alerts together.
package struct IDRegistry {
    package var first: [String: SourceLocation] = [:]
}
