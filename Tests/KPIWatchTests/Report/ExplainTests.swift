import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchReport

/// `kpiwatch explain`: the records behind a value agree with the value itself, for every KPI of the standard pack
/// on the demo; personal fields are withheld; the three output forms; mistakes in the id, period or group.
@Suite struct ExplainTests {
    static let demo: (project: LoadedProject, evaluation: Evaluation) = {
        let engine = Engine.standard()
        let project = try! engine.load(configPath: ReportFixture.demo, includingSinks: false)
        return (project, try! engine.evaluate(project, asOf: Day(iso: "2026-10-31")!))
    }()

    static func explainer() -> KPIExplainer {
        KPIExplainer(engine: Engine.standard(), project: demo.project, evaluation: demo.evaluation)
    }

    /// The pack's KPIs (rules/send), every one: records = count, met = the numerator, and the records folded again
    /// give the value; for the first group of a grouped KPI as well.
    @Test func everyPackKPIsExplanationAgreesWithItsCountAndNumerator() throws {
        let explainer = Self.explainer()
        let pack = Self.demo.project.rules.kpis.filter { $0.file.contains("/rules/send/") }
        #expect(pack.count > 50)
        var explained = 0
        for rule in pack {
            var results = [try #require(Self.demo.evaluation.current(rule.id))]
            if let group = Self.demo.evaluation.currentResults.first(where: { $0.id == rule.id && !$0.group.isEmpty }) {
                results.append(group)
            }
            for result in results {
                let explanation = try explainer.explain(rule.id, group: result.groupDictionary)
                let what = "\(rule.id) \(result.groupDictionary)"
                #expect(explanation.period == result.period)
                if rule.dataset != nil {
                    #expect(explanation.records.count == result.count, "\(what): records ≠ count")
                    #expect(explanation.columns.first == rule.dataset.flatMap { Self.keyField(of: $0.name) } ?? "row")
                }
                #expect(
                    Self.same(explanation.recomputed, result.value),
                    "\(what): \(String(describing: explanation.recomputed)) ≠ \(String(describing: result.value))")
                // A value that is one condition's count or percent: its numerator, exactly.
                let text = rule.value.text.trimmingCharacters(in: .whitespaces)
                if let condition = explanation.conditions.first, text == condition.text, let value = result.value {
                    let numerator = text.hasPrefix("percent(") ? value * Double(result.count!) / 100 : value
                    #expect(
                        Double(condition.met) == numerator.rounded() && abs(numerator - numerator.rounded()) < 1e-6,
                        "\(what): met \(condition.met), numerator \(numerator)")
                    #expect(
                        explanation.records.filter { $0[explanation.columns.firstIndex(of: "met")!] == .bool(true) }
                            .count == condition.met)
                }
                explained += 1
            }
        }
        #expect(explained > pack.count)
    }

    static func keyField(of dataset: String) -> String? {
        demo.project.config.dataset(named: dataset)?.fields.first(where: \.key)?.name
    }

    static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?): return abs(x - y) <= 1e-9 * max(1, abs(y))
        default: return false
        }
    }

    @Test func aKPIBuiltOnKPIsShowsItsInputsAndArithmetic() throws {
        let explanation = try Self.explainer().explain("request_rate_0_24")
        let requests = try #require(Self.demo.evaluation.current("requests_12m")?.value)
        let population = try #require(Self.demo.evaluation.current("population_0_24")?.value)
        #expect(explanation.inputs.map(\.id) == ["requests_12m", "population_0_24"])
        #expect(explanation.inputs.map(\.value) == [requests, population])
        #expect(
            explanation.arithmetic
                == "100 * \(KPIExportContext.number(requests)) / \(KPIExportContext.number(population))")
        #expect(Self.same(explanation.recomputed, 100 * requests / population))
        #expect(explanation.records.isEmpty && explanation.dataset == nil)
        let csv = ExplanationOutput.csv.render(explanation)
        #expect(csv.hasPrefix("kpi,title,period,value\r\nrequests_12m,"))
    }

    @Test func csvHasTheKeyFieldFirstAndMetTrueOrFalse() throws {
        let explanation = try Self.explainer().explain("timeliness_20w", period: "2026-09", group: ["team": "North"])
        let result = try #require(
            Self.demo.evaluation.value("timeliness_20w", period: "2026-09", group: ["team": "North"]))
        let lines = ExplanationOutput.csv.render(explanation).components(separatedBy: "\r\n").dropLast()
        #expect(lines.first == "case_id,team,request_date,final_plan_date,exception,met")
        #expect(lines.count - 1 == result.count)
        #expect(
            lines.dropFirst().allSatisfy { $0.hasPrefix("EHC-") && ($0.hasSuffix(",true") || $0.hasSuffix(",false")) })
        #expect(lines.dropFirst().allSatisfy { $0.contains(",North,") })
        let json = ExplanationOutput.json.render(explanation)
        #expect(json.hasPrefix("{\"kpi\":\"timeliness_20w\",\"title\":"))
        #expect(json.contains("\"group\":{\"team\":\"North\"}"))
        #expect(json.contains("\"column\":\"met\",\"met\":\(explanation.conditions[0].met)}"))
    }

    @Test func personalFieldsAreWithheldUnlessAskedFor() throws {
        let dir = ReportTemplateTests.folder()
        dir.write(
            "rules.yaml",
            """
            kpis:
              - id: named_plans
                title: Plans with a child's name recorded
                dataset: plans
                period: all
                value: percent(child_name is not null)
                unit: percent
            """)
        let engine = Engine.standard()
        let project = try engine.load(configPath: dir.path + "/kpiwatch.yaml", includingSinks: false)
        let evaluation = try engine.evaluate(project, asOf: Day(iso: "2024-03-31")!)
        let explainer = KPIExplainer(engine: engine, project: project, evaluation: evaluation)
        let hidden = ExplanationOutput.text.render(try explainer.explain("named_plans"))
        for name in ["Ada Lovelace", "Grace Hopper", "Alan Turing"] { #expect(!hidden.contains(name)) }
        #expect(hidden.contains("(personal fields withheld: child_name; --show-personal shows them)"))
        #expect(hidden.contains("\nP1       (withheld: personal)  true\n"))
        let shown = ExplanationOutput.csv.render(try explainer.explain("named_plans", showPersonal: true))
        #expect(
            shown == "case_id,child_name,met\r\nP1,Ada Lovelace,true\r\nP2,Grace Hopper,true\r\nP3,Alan Turing,true\r\n"
        )
    }

    @Test func theCommandExplainsAndNamesWhatIsWrong() throws {
        let ok = try runKPIWatch(["explain", "open_past_52w", "--config", ReportFixture.demo, "--format", "csv"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let count = try #require(Self.demo.evaluation.current("open_past_52w")?.count)
        #expect(ok.stdout.components(separatedBy: "\r\n").dropLast().count == count + 1)
        #expect(ok.stdout.hasPrefix("case_id,"))
        for (arguments, message) in [
            (
                ["timeliness_20", "--period", "2026-10"],
                "error: unknown KPI 'timeliness_20'; did you mean 'timeliness_20w'?"
            ),
            (
                ["timeliness_20w", "--period", "2026-13"],
                "error: KPI 'timeliness_20w' has no period '2026-13'; its periods: 2025-11,"
            ),
            (["timeliness_20w", "--group", "tema=North"], "error: KPI 'timeliness_20w' is not grouped by 'tema'"),
            (["timeliness_20w", "--group", "team"], "error: --group 'team' is not FIELD=VALUE"),
            (["ep_advice_overdue"], "error: 'ep_advice_overdue' is a case alert, not a KPI"),
        ] {
            let run = try runKPIWatch(["explain"] + arguments + ["--config", ReportFixture.demo])
            #expect(run.status == 3)
            #expect(run.stderr.hasPrefix(message), "\(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }
}
