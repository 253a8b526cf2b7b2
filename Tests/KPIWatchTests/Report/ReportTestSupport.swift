import Foundation

@testable import KPIWatch
@testable import KPIWatchEngine
@testable import KPIWatchReport

/// Builds reports for tests and reads their HTML back.
enum ReportFixture {
    static let demo = TestPaths.repo("examples/demo/kpiwatch.yaml")
    static let templates = TestPaths.repo("Sources/KPIWatchReportTemplates/templates")

    /// Evaluates a project and writes its report into `folder`; returns the files written.
    @discardableResult
    static func write(
        _ configPath: String, format: ReportFormat, to output: String, only: [String]? = nil
    ) throws -> (files: [String], evaluation: Evaluation, project: LoadedProject) {
        let engine = Engine.standard()
        let project = try engine.load(configPath: configPath, includingSinks: false)
        let evaluation = try engine.evaluate(project, asOf: Engine.defaultAsOf(for: project.config), only: only)
        let templates = try ReportTemplates(
            defaults: templates, overrides: project.config.report.templates,
            overridesLocation: project.config.report.templatesLocation)
        let files = try ReportWriter.write(
            evaluation, project: project, format: format, to: output, templates: templates)
        return (files, evaluation, project)
    }

    /// Every `<svg>` of a page with the texts in it that lie outside its view box, measured as the charts measure
    /// them (`TextWidth`): what a browser would clip.
    static func clippedTexts(in html: String) -> [String] {
        var clipped: [String] = []
        for svg in ReportChartTests.matches(html, #"(<svg [^>]*>.*?</svg>)"#) {
            let view = ReportChartTests.matches(svg, #"viewBox="([^"]*)""#).first!.split(separator: " ").map {
                Double($0)!
            }
            let box = ChartRect(x: view[0], y: view[1], width: view[2], height: view[3])
            let texts = try! NSRegularExpression(
                pattern:
                    #"<text class="[^"]*" x="([^"]*)" y="([^"]*)" font-size="([^"]*)"(?: text-anchor="([a-z]*)")?>([^<]*)</text>"#
            )
            for match in texts.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)) {
                func group(_ index: Int) -> String? {
                    Range(match.range(at: index), in: svg).map { String(svg[$0]) }
                }
                let text = unescape(group(5)!)
                let anchor = group(4).flatMap(SVGCanvas.Anchor.init(rawValue:)) ?? .start
                let taken = SVGCanvas.box(
                    of: text, x: Double(group(1)!)!, y: Double(group(2)!)!, anchor: anchor, size: Double(group(3)!)!)
                if !box.contains(taken) { clipped.append(text) }
            }
        }
        return clipped
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// `src=`, `href=`, `url(` and `@import` targets of a page, other than in-page anchors and `data:` URLs: what a
    /// browser would fetch.
    static func externalReferences(in html: String) -> [String] {
        let patterns = [
            #"(?:src|href|xlink:href|action|poster)\s*=\s*["']?([^"'\s>]+)"#, #"url\(\s*["']?([^"')]+)"#,
            #"@import\s+["']([^"']+)"#,
        ]
        return patterns.flatMap { ReportChartTests.matches(html, $0) }.filter {
            !$0.hasPrefix("#") && !$0.hasPrefix("data:")
        }
    }
}
