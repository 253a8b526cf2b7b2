import Foundation
import KPIWatch

@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The project file loader: the input is `kpiwatch.yaml`, in a folder that also holds a rules
/// folder, a data file and a secret file, so that paths, `${env:}` and `${file:}` resolve.
public enum ProjectTarget {
    /// The loader checks keys against the registered source and sink types: fuzz it with the standard ones.
    static let engine = Engine.standard()
    static let folder: String = {
        Scratch.write(Array(RulesTarget.benchmarks.utf8), as: "project/rules/benchmarks.yaml")
        Scratch.write(Array("kpis: []\n".utf8), as: "project/rules/send/empty.yaml")
        Scratch.write(Array("Case Ref,Team\nC1,North\n".utf8), as: "project/data/assessments.csv")
        Scratch.write(Array("https://example.invalid/hook\n".utf8), as: "project/secrets/webhook_url")
        return Scratch.path("project")
    }()
    static let environment = ["KPIWATCH_WEBHOOK": "https://example.invalid/hook", "KPIWATCH_TOKEN": "token"]

    public static func run(_ input: FuzzInput) {
        let path = Scratch.write(input.bytes, as: "project/kpiwatch.yaml")
        _ = folder
        do {
            let config = try engine.loadConfig(path: path, environment: environment)
            for dataset in config.datasets { _ = try? CellDecoder(dataset: dataset) }
        } catch {
            Oracle.expectDiagnostic(error, from: "the project loader")
        }
    }
}

/// The rule loader and the rule compiler (which type-checks every expression and template against
/// the datasets): the input is a rule file of a project shaped like the demo's; it is also read as
/// a benchmark file.
public enum RulesTarget {
    static let project: ProjectConfig = {
        let path = Scratch.write(Array(projectFile.utf8), as: "rules-project/kpiwatch.yaml")
        do {
            return try ProjectTarget.engine.loadConfig(path: path, environment: [:])
        } catch {
            fatalError("the fixed project of the rules target does not load: \(error)")
        }
    }()
    static let benchmarkPath = Scratch.write(Array(benchmarks.utf8), as: "rules-project/benchmarks.yaml")

    public static func run(_ input: FuzzInput) {
        let path = Scratch.write(input.bytes, as: "rules-project/rules/fuzz.yaml")
        do {
            let rules = try RuleLoader.load(ruleFiles: [path], benchmarkFiles: [benchmarkPath])
            _ = try RuleCompiler.compile(rules, project: project)
        } catch {
            Oracle.expectDiagnostic(error, from: "the rule loader or compiler")
        }
        do {
            _ = try RuleLoader.load(ruleFiles: [], benchmarkFiles: [path])
        } catch {
            Oracle.expectDiagnostic(error, from: "the benchmark loader")
        }
    }

    static let projectFile = """
        version: 1
        timezone: Europe/London
        year_start: "04-01"
        as_of: 2026-10-31
        datasets:
          assessments:
            source: csv
            path: data/assessments.csv
            date_format: dd/MM/yyyy
            null_values: ["", "N/A", "-"]
            fields:
              case_id: { column: "Case Ref", type: string, key: true }
              child_id: "Child ID"
              child_name: { column: "Child Name", type: string, personal: true }
              date_of_birth: { column: "Date of Birth", type: date, personal: true }
              team: "Team"
              caseworker: "Case Officer"
              request_date: { column: "Request Received", type: date }
              decision_date: { column: "Decision Date", type: date }
              decision: "Decision"
              ep_advice_requested: { column: "EP Advice Requested", type: date }
              ep_advice_received: { column: "EP Advice Received", type: date }
              health_advice_requested: { column: "Health Advice Requested", type: date }
              health_advice_received: { column: "Health Advice Received", type: date }
              social_care_advice_requested: { column: "Social Care Advice Requested", type: date }
              social_care_advice_received: { column: "Social Care Advice Received", type: date }
              draft_plan_date: { column: "Draft Plan Issued", type: date }
              final_plan_date: { column: "Final EHCP Issued", type: date }
              outcome: "Outcome"
              closed_date: { column: "Date Closed", type: date }
              exception: "Exception Reason"
              weeks: { column: "Weeks", type: int }
              active: { column: "Active", type: bool }
          plans:
            source: csv
            path: data/plans.csv
            fields:
              plan_id: { column: "Plan Ref", type: string, key: true }
              child_id: "Child ID"
              team: "Team"
              caseworker: "Case Officer"
              start_date: { column: "Plan Start", type: date }
              last_review_date: { column: "Last Review Meeting", type: date }
              review_decision_date: { column: "Review Decision Date", type: date }
              next_review_due: { column: "Next Review Due", type: date }
              ceased_date: { column: "Date Ceased", type: date }
              setting: "Setting"
          staff:
            source: csv
            path: data/staff.csv
            fields:
              caseworker: "Officer"
              team: "Team"
              role: "Role"
              fte: { column: "FTE", type: number }
          population:
            source: csv
            path: data/population.csv
            fields:
              area: "Area"
              age: { column: "Age", type: int }
              count: { column: "Population", type: int }

        """

    static let benchmarks = """
        benchmarks:
          national_timeliness_20w: { value: 59.9, year: 2021, source: "SEN2 2021" }
          request_rate_national: { value: 0.56, year: 2021, source: "SEN2 2021" }
          request_rate_statistical_neighbours: { value: 0.58, year: 2021, source: "SEN2 2021" }
          target_timeliness_20w: { value: 70, year: 2022, source: "local" }
          target_timeliness_date: { value: 2027-03-31, source: "local" }
          target_decisions_within_6w: { value: 90, source: "local" }
          target_advice_within_6w: { value: 90, source: "local" }
          target_plans_within_8w_of_ep_advice: { value: 80, source: "local" }
          target_review_decisions_within_4w: { value: 90, source: "local" }
          target_open_past_20w: { value: 50, source: "local" }
          target_open_past_20w_share: { value: 40, source: "local" }
          target_requests_growth: { value: 10, source: "local" }
          target_plans_growth: { value: 10, source: "local" }
          ceiling_assessment_caseload: { value: 60, year: 2023, source: "local" }
          ceiling_review_caseload: { value: 200, year: 2023, source: "local" }
          ceiling_reviews_overdue_share: { value: 10, source: "local" }
          ceiling_reviews_overdue_share_critical: { value: 25, source: "local" }

        """
}
