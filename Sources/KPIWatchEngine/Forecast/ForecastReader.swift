import Foundation
import KPIWatchCore
import Yams

/// Reads one entry of a rule file's `forecasts:` list, checking what needs no dataset: the keys, the
/// deadline, the training window and the scenarios. Field names are checked by `RuleCompiler`.
enum ForecastReader {
    static let keys = [
        "id", "title", "description", "dataset", "start", "end", "deadline_days", "where", "recorded_late",
        "stages", "training_window", "by", "min_sample", "workload",
    ]
    static let workloadKeys = ["staff", "staff_where", "fte", "months", "runs", "seed", "scenarios"]
    static let scenarioKeys = ["name", "requests", "fte"]

    static func read(
        _ node: Node, in document: YAMLDocument, ids: inout IDRegistry, _ diagnostics: inout DiagnosticCollector
    ) -> ForecastRule? {
        guard var forecast = YAMLMapping(node, in: document, subject: "a forecast", &diagnostics) else { return nil }
        let (id, subject) = RuleLoader.identify(forecast, kind: "forecast", ids: &ids, &diagnostics)
        forecast.subject = subject
        forecast.checkKeys(keys, &diagnostics)
        let title = forecast.string("title", &diagnostics)
        let description = forecast.string("description", &diagnostics)
        let dataset = forecast.name("dataset", &diagnostics)
        let start = forecast.name("start", &diagnostics)
        let ends = forecast.names("end", &diagnostics)
        let deadline = forecast.int("deadline_days", atLeast: 1, atMost: 3650, &diagnostics)
        let whereClause = forecast.text("where", isExpression: true, &diagnostics)
        let recordedLate = forecast.names("recorded_late", &diagnostics)
        if !recordedLate.isEmpty, whereClause == nil, let node = forecast.value("recorded_late") {
            diagnostics.add(
                Diagnostic(
                    "'recorded_late' of \(subject) has no 'where' to apply to", at: document.location(of: node),
                    hint: "name the fields of 'where' that may be filled in while a case runs, e.g. "
                        + "where: exception is null with recorded_late: [exception]; or leave recorded_late out"))
        }
        let stages = forecast.names("stages", &diagnostics)
        let window = trainingWindow(forecast, &diagnostics)
        let by = forecast.name("by", &diagnostics)
        let minimumSample = forecast.int("min_sample", atLeast: 1, &diagnostics)
        let workload = forecast.mapping("workload", subject: "'workload' of \(subject)", &diagnostics).map {
            self.workload($0, &diagnostics)
        }
        let required: [(String, Bool, String)] = [
            ("dataset", dataset != nil, "name the dataset whose cases it learns from, e.g. dataset: assessments"),
            ("start", start != nil, "name the date field that starts the clock, e.g. start: request_date"),
            (
                "end", !ends.isEmpty,
                "name the date fields that stop it, the outcome first: end: [final_plan_date, closed_date]"
            ),
            ("deadline_days", deadline != nil, "give the statutory deadline in days, e.g. deadline_days: 140"),
        ]
        for (key, present, hint) in required where !present && forecast.value(key) == nil {
            forecast.missing(key, hint: hint, &diagnostics)
        }
        guard let id, let dataset, let start, !ends.isEmpty, let deadline else { return nil }
        return ForecastRule(
            id: id, title: title ?? id, description: description, dataset: dataset, start: start, ends: ends,
            deadlineDays: deadline, whereClause: whereClause, recordedLate: recordedLate, stages: stages,
            trainingWindowMonths: window, by: by,
            minimumSample: minimumSample ?? BreachSettings.defaultMinimumSample, workload: workload ?? nil,
            file: document.file, location: forecast.location)
    }

    /// `36 months`, `3 years`: whole months, or nil (reported when written but not valid).
    private static func trainingWindow(_ forecast: YAMLMapping, _ diagnostics: inout DiagnosticCollector) -> Int? {
        guard let node = forecast.value("training_window"), let text = forecast.string("training_window", &diagnostics)
        else { return nil }
        let words = text.split(separator: " ")
        if words.count == 2, let count = Int(words[0]), count > 0 {
            switch words[1] {
            case "month", "months": return count
            case "year", "years": return count * 12
            default: break
            }
        }
        diagnostics.add(
            Diagnostic(
                "'training_window' of \(forecast.subject) must be a number of months or years; got '\(text)'",
                at: forecast.document.location(of: node), hint: "e.g. training_window: 36 months, or 3 years"))
        return nil
    }

    private static func workload(_ mapping: YAMLMapping, _ diagnostics: inout DiagnosticCollector) -> WorkloadRule? {
        mapping.checkKeys(workloadKeys, &diagnostics)
        let seed = mapping.int("seed", atLeast: 0, &diagnostics)
        var scenarios: [WorkloadScenario] = []
        var names: Set<String> = []
        for node in mapping.list("scenarios", &diagnostics) {
            guard var item = YAMLMapping(node, in: mapping.document, subject: "a scenario", &diagnostics) else {
                continue
            }
            item.checkKeys(scenarioKeys, &diagnostics)
            guard let name = item.string("name", &diagnostics) else {
                if item.value("name") == nil {
                    item.missing("name", hint: "name it for --scenario, e.g. name: two_more_officers", &diagnostics)
                }
                continue
            }
            item.subject = "scenario '\(name)'"
            if !names.insert(name).inserted {
                diagnostics.add(
                    Diagnostic(
                        "duplicate scenario '\(name)'", at: item.valueLocation("name"),
                        hint: "give each a name of its own"))
            }
            var scenario = WorkloadScenario(name: name)
            if let text = item.string("requests", &diagnostics) {
                switch WorkloadScenario.requestFactor(text) {
                case .success(let factor): scenario.requestFactor = factor
                case .failure(let error): report(error, key: "requests", in: item, &diagnostics)
                }
            }
            if let text = item.string("fte", &diagnostics) {
                switch WorkloadScenario.staffChange(text) {
                case .success(let change): scenario.staffChanges.append(change)
                case .failure(let error): report(error, key: "fte", in: item, &diagnostics)
                }
            }
            scenarios.append(scenario)
        }
        return WorkloadRule(
            staff: mapping.name("staff", &diagnostics),
            staffWhere: mapping.text("staff_where", isExpression: true, &diagnostics),
            fte: mapping.name("fte", &diagnostics),
            months: mapping.int("months", atLeast: 1, atMost: 60, &diagnostics) ?? WorkloadRule.defaultMonths,
            runs: mapping.int("runs", atLeast: 1, atMost: 100_000, &diagnostics) ?? WorkloadRule.defaultRuns,
            seed: seed.map(UInt64.init) ?? WorkloadRule.defaultSeed, scenarios: scenarios, location: mapping.location)
    }

    private static func report(
        _ error: ScenarioSyntaxError, key: String, in item: YAMLMapping, _ diagnostics: inout DiagnosticCollector
    ) {
        diagnostics.add(
            Diagnostic(
                "'\(key)' of \(item.subject) is not valid: '\(error.text)'", at: item.valueLocation(key),
                hint: "write \(error.expected)"))
    }
}
