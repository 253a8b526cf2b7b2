import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchReport

/// The report rendered through its templates: the demo's every KPI, chart and section; the Markdown form and its
/// chart files; a project's own templates, title and logo; template and `report:` mistakes at their line and column.
@Suite struct ReportTemplateTests {
    /// A small project whose KPI title and team are hostile to HTML and Markdown.
    static let project = """
        version: 1
        as_of: 2024-03-31
        rules: [rules.yaml]
        benchmarks: [benchmarks.yaml]
        datasets:
          plans:
            source: csv
            path: plans.csv
            fields:
              case_id: { column: "Case Ref", key: true }
              child_name: { column: "Child Name", personal: true }
              team: "Team"
              issued: { column: "Issued", type: date }
        """

    static let rules = """
        kpis:
          - id: plans_issued
            title: Plans <b>issued</b> | "all"
            dataset: plans
            date: issued
            period: month
            history: 3
            value: count()
            group_by: [team]
            unit: count
            thresholds: { warning: value < benchmark.national_plans }
        case_alerts:
          - id: late_plan
            title: Late plan
            dataset: plans
            key: case_id
            where: issued is null
            severity: critical
            labels: { team: "{team}" }
        """

    static let data = """
        Case Ref,Child Name,Team,Issued
        P1,Ada Lovelace,"North | <i>x</i>",2024-03-05
        P2,Grace Hopper,"North | <i>x</i>",2024-02-06
        P3,Alan Turing,South,
        """

    static func folder(report: String = "") -> TemporaryDirectory {
        let folder = TemporaryDirectory()
        folder.write("kpiwatch.yaml", project + report)
        folder.write("rules.yaml", rules)
        folder.write(
            "benchmarks.yaml",
            "benchmarks:\n  national_plans: { value: 5, year: 2024, source: \"test, England\" }\n  regional_plans: { value: 4, year: 2024, source: test }\n"
        )
        folder.write("plans.csv", data)
        return folder
    }

    @Test func theDemoReportHasEveryKPIWithItsStateChartAndNothingExternal() throws {
        let folder = TemporaryDirectory()
        let output = folder.path + "/report.html"
        let (_, evaluation, project) = try ReportFixture.write(ReportFixture.demo, format: .html, to: output)
        let html = try String(contentsOfFile: output, encoding: .utf8)
        let ids = Set(evaluation.results.map(\.id))
        #expect(ids.count > 60)
        for id in ids {
            let section = try #require(
                ReportChartTests.matches(html, #"(?s)(<article class="kpi[^"]*" id="kpi-"# + id + #"">.*?</article>)"#)
                    .first, "no section for \(id)")
            let current = try #require(evaluation.current(id))
            #expect(section.contains("<svg "), "\(id) has no chart")
            #expect(section.contains(">\(ReportBuilder.word(current.state))</span>"), "\(id) has no state word")
            #expect(section.contains(ValueFormatter.format(current.value, unit: current.unit)))
        }
        let content = try ReportBuilder(evaluation: evaluation, project: project, format: .html).build()
        #expect(html.components(separatedBy: "<svg ").count - 1 == ReportWriter.charts(of: content).count)
        for section in ["id=\"benchmarks\"", "id=\"cases\"", "id=\"data-quality\""] { #expect(html.contains(section)) }
        // The benchmark comparison: North Somerset's published timeliness against England's, from benchmarks.yaml.
        #expect(html.contains(">61.5 (2024)</text>") && html.contains(">46.4 (2024)</text>"))
        // The trajectory is drawn on to its target date.
        #expect(html.contains(">2027-03-31</text>"))
        #expect(ReportFixture.externalReferences(in: html).isEmpty)
        #expect(!html.contains("<script") && !html.contains("http:") && !html.contains("https:"))
        #expect(ReportFixture.clippedTexts(in: html).isEmpty)
        // Case ids, never the children: no name or date of birth of the demo's export is in the report.
        let rows = try String(contentsOfFile: TestPaths.repo("examples/demo/data/assessments.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(200).map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
        for row in rows {
            #expect(!html.contains(String(row[2])), "a child's name is in the report")
        }
        let cases = evaluation.alerts.filter { $0.kind == .caseAlert }
        #expect(html.contains("\(Set(cases.compactMap(\.key)).count) cases raise \(cases.count) case alerts"))
        #expect(html.contains("\(content.summary.kpiCount) KPIs evaluated"))
    }

    @Test func textFromRulesAndDataIsEscapedAndPersonalFieldsStayOut() throws {
        let dir = Self.folder()
        let output = dir.path + "/out/report.html"
        try ReportFixture.write(dir.path + "/kpiwatch.yaml", format: .html, to: output)
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("Plans &lt;b&gt;issued&lt;/b&gt; | &quot;all&quot;"))
        #expect(!html.contains("<b>issued") && !html.contains("<i>x"))
        for name in ["Ada Lovelace", "Grace Hopper", "Alan Turing"] { #expect(!html.contains(name)) }
        #expect(html.contains(">P3</td>") || html.contains(">P3<"))
        // England and the region drawn on the chart, with their words.
        #expect(html.contains(">Warning below England 5</text>"))
        #expect(html.contains(">Region 4 (2024)</text>"))
        #expect(ReportFixture.clippedTexts(in: html).isEmpty)
    }

    @Test func markdownHasTheSameContentAsTablesAndItsChartsBesideIt() throws {
        let dir = Self.folder()
        let output = dir.path + "/paper.md"
        let (files, _, _) = try ReportFixture.write(dir.path + "/kpiwatch.yaml", format: .md, to: output)
        let markdown = try String(contentsOfFile: output, encoding: .utf8)
        #expect(markdown.contains("### Plans &lt;b&gt;issued&lt;/b&gt; \\| \"all\""))
        #expect(markdown.contains("| North \\| &lt;i&gt;x&lt;/i&gt; | 1 | Warning | 1 |"))
        #expect(markdown.contains("1 KPI evaluated; 3 alerts (1 critical), of which 1 case alert."))
        #expect(markdown.contains("1 case raises 1 case alert."))
        #expect(markdown.contains("| **Warning** |"))
        let links = ReportChartTests.matches(markdown, #"!\[[^\]]*\]\(([^)]+)\)"#)
        #expect(links.count == files.count - 1 && links.count >= 3)
        for link in links {
            #expect(link.hasPrefix("paper-charts/"))
            let svg = try String(contentsOfFile: dir.path + "/" + link, encoding: .utf8)
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""))
            #expect(svg.contains("<style><![CDATA[.chart"))
        }
        for name in ["Ada Lovelace", "Grace Hopper", "Alan Turing"] { #expect(!markdown.contains(name)) }
        #expect(!markdown.contains("{{") && !markdown.contains("&amp;lt;"))
    }

    @Test func aProjectsTemplatesTitleAndLogoReplaceTheDefaults() throws {
        let dir = Self.folder(
            report:
                "\nreport:\n  templates: my-templates\n  title: North Somerset SEND — committee pack\n  logo: logo.png\n"
        )
        dir.write("my-templates/style.mustache", "body { font-family: serif; } /* council house style */")
        dir.write("my-templates/footer-note.mustache", "Prepared for the committee")
        let page = try String(
            contentsOfFile: ReportFixture.templates + "/report.html.mustache", encoding: .utf8
        ).replacingOccurrences(of: "</body>", with: "<p>{{> footer-note}}</p></body>")
        dir.write("my-templates/report.html.mustache", page)
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
        try png.write(to: URL(fileURLWithPath: dir.path + "/logo.png"))
        let output = dir.path + "/report.html"
        try ReportFixture.write(dir.path + "/kpiwatch.yaml", format: .html, to: output)
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("council house style"))
        #expect(!html.contains("Copy this file into your"))  // the default style is gone
        #expect(html.contains(".chart .series"))  // the chart style was not replaced
        #expect(html.contains("<p>Prepared for the committee</p>"))
        #expect(html.contains("<h1>North Somerset SEND — committee pack</h1>"))
        #expect(html.contains("src=\"data:image/png;base64,\(png.base64EncodedString())\""))
    }

    @Test func aTemplateMistakeIsReportedAtItsLineAndColumn() throws {
        let dir = TemporaryDirectory()
        dir.write("t/report.html.mustache", "<h1>{{title}}</h1>\n{{#areas}}\n  {{title}}\n{{/area}}\n")
        dir.write("t/kpi-html.mustache", "<p>{{> kpi-chrat}}</p>")
        let error = try #require(throws: Diagnostics.self) {
            try ReportTemplates(defaults: ReportFixture.templates, overrides: dir.path + "/t")
        }
        let lines = error.items.map(\.description)
        #expect(
            lines.contains {
                $0.hasPrefix(dir.path + "/t/report.html.mustache:4:") && $0.contains("closed with a name")
            })
        #expect(
            lines.contains {
                $0.hasPrefix(
                    dir.path + "/t/kpi-html.mustache:1:4: error: the report template uses the partial 'kpi-chrat'")
            })
    }

    @Test func validateAndReportNameAMistakeInTheProjectsTemplates() throws {
        let dir = Self.folder(report: "\nreport:\n  templates: my-templates\n")
        dir.write("my-templates/kpi-html.mustache", "<article>\n  {{#chart}}{{{svg}}}\n</article>\n")
        let expected = dir.path + "/my-templates/kpi-html.mustache:4:1: error: report template error:"
        for command in ["validate", "report"] {
            let run = try runKPIWatch([command, "--config", dir.path + "/kpiwatch.yaml"], directory: dir.path)
            #expect(run.status == 3, "\(command): \(run.stderr)")
            #expect(run.stderr.contains(expected) && run.stderr.contains("never closed"), "\(command): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/report.html"))
    }

    @Test func reportSettingsMistakesAreReportedAtTheirLineAndColumn() throws {
        let dir = Self.folder(
            report: "\nreport:\n  titel: x\n  templates: nowhere\n  logo: logo.bmp\n  link: [a, b]\n  lnik: y\n")
        let error = try #require(throws: Diagnostics.self) {
            try Engine.standard().loadConfig(path: dir.path + "/kpiwatch.yaml")
        }
        let lines = error.items.map(\.description)
        let file = dir.path + "/kpiwatch.yaml"
        #expect(lines.contains("\(file):15:3: error: unknown key 'titel' in 'report'; did you mean 'title'?"))
        #expect(lines.contains { $0.hasPrefix("\(file):16:14: error: 'templates' must be a folder") })
        #expect(lines.contains { $0.hasPrefix("\(file):17:9: error: 'logo' must be a PNG, JPEG, GIF or SVG file") })
        #expect(lines.contains { $0.hasPrefix("\(file):18:9: error: 'link' must be text; got ") }, "\(lines)")
        #expect(lines.contains("\(file):19:3: error: unknown key 'lnik' in 'report'; did you mean 'link'?"), "\(lines)")
    }
}
