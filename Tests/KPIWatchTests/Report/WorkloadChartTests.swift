import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchReport

/// The workload projection's chart: the band spans p10 to p90 under the baseline's median, each scenario is a
/// dashed line of its own pattern, every line is named, and no label overlaps another or leaves the image.
@Suite struct WorkloadChartTests {
    static let count: @Sendable (Double) -> String = { ValueFormatter.decimal($0, places: 0) }

    static func chart(scenarios: [WorkloadChart.Line]) -> WorkloadChart {
        WorkloadChart(
            title: "Open assessments", months: ["2026-11", "2026-12", "2027-01"], low: [80, 70, 60],
            baseline: .init(name: "baseline", values: [100, 100, 100]), high: [120, 130, 140], scenarios: scenarios,
            format: Self.count)
    }

    @Test func theBandRunsFromP10ToP90UnderTheMedian() throws {
        let svg = Self.chart(scenarios: []).svg()
        let band = try #require(ReportChartTests.matches(svg, #"<polygon class="band" points="([^"]*)""#).first)
        let corners = band.split(separator: " ").map { pair in pair.split(separator: ",").map { Double($0)! } }
        // Out along p90, back along p10: six corners, the months left to right and back.
        #expect(corners.count == 6)
        #expect(corners[0][0] < corners[1][0] && corners[1][0] < corners[2][0])
        #expect(corners[3][0] == corners[2][0] && corners[5][0] == corners[0][0])
        // The axis runs 0 to 150 in ticks of 50: a value's height is read off the two ends.
        let zero = try #require(ReportChartTests.gridY(svg, label: "0"))
        let top = try #require(ReportChartTests.gridY(svg, label: "150"))
        let y = { (value: Double) in zero + (top - zero) * value / 150 }
        #expect(abs(corners[2][1] - y(140)) < 0.02)
        #expect(abs(corners[3][1] - y(60)) < 0.02)
        #expect(abs(corners[0][1] - y(120)) < 0.02)
        let median = try #require(ReportChartTests.polylines(svg).first)
        #expect(median.count == 3)
        #expect(median.allSatisfy { abs($0.y - y(100)) < 0.02 })
        #expect(svg.contains(">baseline</text>"))
    }

    @Test func eachScenarioIsADashedLineOfItsOwnNamedAtItsEnd() throws {
        let chart = Self.chart(scenarios: [
            .init(name: "two_more_officers", values: [100, 95, 90]),
            .init(name: "requests_up_10", values: [102, 106, 110]),
        ])
        let svg = chart.svg()
        let dashes = ReportChartTests.matches(
            svg, #"<polyline class="scenario [^"]*" points="[^"]*" fill="none" stroke-dasharray="([^"]*)""#)
        #expect(dashes.count == 2)
        #expect(Set(dashes).count == 2)
        for name in ["baseline", "two_more_officers", "requests_up_10"] { #expect(svg.contains(">\(name)</text>")) }
        // The three lines end close together: their names are moved apart, and all stay inside the image.
        let canvas = chart.draw()
        ReportChartTests.expectNoOverlap(canvas.textBoxes)
        for box in canvas.textBoxes { #expect(canvas.viewBox.contains(box)) }
    }

    /// A month no run gave a value for (no plans, so no timeliness) leaves a gap, not a line to zero.
    @Test func aMonthWithNoValueIsLeftOut() throws {
        let chart = WorkloadChart(
            title: "t", months: ["a", "b", "c"], low: [50, .nan, 55],
            baseline: .init(name: "baseline", values: [60, .nan, 65]),
            high: [70, .nan, 75], scenarios: [], format: Self.count)
        let svg = chart.svg()
        #expect(!svg.contains("nan"))
        #expect(ReportChartTests.polylines(svg).first?.count == 2)
    }

    /// The demo's Markdown report: a forecast section with the expected breaches and their interval, a chart
    /// file per measure, and the scenarios in words; the KPI of expected breaches gives its interval too.
    @Test func theDemoReportDrawsTheProjection() throws {
        let folder = TemporaryDirectory()
        let engine = Engine.standard()
        let project = try engine.load(configPath: ReportFixture.demo, includingSinks: false)
        let evaluation = try engine.evaluate(
            project, asOf: Day(iso: "2026-10-31")!, only: ["expected_breaches_next_4_weeks"])
        let templates = try ReportTemplates(
            defaults: ReportFixture.templates, overrides: nil, overridesLocation: nil)
        let output = folder.path + "/report.md"
        let files = try ReportWriter.write(
            evaluation, project: project, format: .md, to: output, templates: templates, engine: engine)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("## Forecast: Time from request to final EHC plan"))
        #expect(
            text.contains(
                "Due in the next 28 days: 55 open cases, 23.2 expected to miss the deadline (90% interval 20 to 26"))
        #expect(text.contains("90% interval 20 to 26 of the 55 cases breaching"))
        // Markdown escapes the names' underscores.
        #expect(text.contains("- two\\_more\\_officers: +2 assessment FTE from 2027-01"))
        #expect(text.contains("- requests\\_up\\_10: requests +10%"))
        for measure in WorkloadMeasure.allCases {
            let file = "report-charts/forecast-time_to_plan-\(measure.rawValue).svg"
            #expect(text.contains("](\(file))"))
            #expect(files.contains(folder.path + "/" + file))
        }
        // The baseline's table: a row per projected month.
        #expect(text.contains("| 2026-11 |"))
        #expect(text.contains("| 2027-04 |"))
    }
}
