import Foundation
import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchReport

/// The geometry of the report's SVG charts: values land where the axis says, labels never overlap or leave the
/// image, a period with no value breaks the line.
@Suite struct ReportChartTests {
    static let percent: @Sendable (Double) -> String = { ValueFormatter.format($0, unit: .percent) }

    @Test func axisTicksAreRoundNumbersThatCoverEveryValueAndZero() {
        let scale = AxisScale(covering: [12.5, 61.5, 46.4])
        #expect(scale.minimum == 0)
        #expect(scale.maximum >= 61.5)
        #expect(scale.ticks == [0, 20, 40, 60, 80])
        let negative = AxisScale(covering: [-3, 7])
        #expect(negative.minimum <= -3 && negative.maximum >= 7 && negative.ticks.contains(0))
        // A flat series still gets an axis with room above it.
        let flat = AxisScale(covering: [5, 5])
        #expect(flat.maximum > 5)
        #expect(AxisScale.niceStep(0.3) == 0.5)
        #expect(AxisScale.niceStep(17) == 20)
        #expect(AxisScale.niceStep(2.2) == 2.5)
    }

    @Test func historyPointsLandOnTheirValuesAndPeriodsLeftToRight() throws {
        let chart = HistoryChart(
            title: "t",
            points: [
                .init(axis: -2, label: "2026-08", value: 20), .init(axis: -1, label: "2026-09", value: 40),
                .init(axis: 0, label: "2026-10", value: 80),
            ], references: [], format: Self.percent)
        let svg = chart.svg()
        let points = try #require(Self.polylines(svg).first)
        #expect(points.count == 3)
        #expect(points[0].x < points[1].x && points[1].x < points[2].x)
        // Equal steps in time are equal steps across; y falls as the value rises, linearly (0 at the axis).
        #expect(abs((points[1].x - points[0].x) - (points[2].x - points[1].x)) < 0.02)
        let zero = try #require(Self.gridY(svg, label: "0.0%"))
        let eighty = try #require(Self.gridY(svg, label: "80.0%"))
        #expect(abs(points[2].y - eighty) < 0.02)
        #expect(abs((zero - points[0].y) * 4 - (zero - points[2].y)) < 0.05)
    }

    @Test func aPeriodWithNoValueBreaksTheLine() {
        let chart = HistoryChart(
            title: "t",
            points: [
                .init(axis: -3, label: "a", value: 1), .init(axis: -2, label: "b", value: 2),
                .init(axis: -1, label: "c", value: nil), .init(axis: 0, label: "d", value: 3),
                .init(axis: 1, label: "e", value: 4),
            ], references: [], format: Self.percent)
        let lines = Self.polylines(chart.svg())
        #expect(lines.map(\.count) == [2, 2])
    }

    @Test func referenceLinesAreLabelledInWordsAndCloseLevelsDoNotOverlap() {
        let references = [
            ReferenceLine(level: 46.4, label: "Critical below England 46.4%", kind: .critical),
            ReferenceLine(level: 47.0, label: "Statistical neighbours 47.0% (2024)", kind: .benchmark),
            ReferenceLine(level: 70, label: "Warning below target 70.0%", kind: .warning),
        ]
        let chart = HistoryChart(
            title: "t", points: (0..<12).map { .init(axis: Double($0 - 11), label: "2026-\($0 + 1)", value: 50) },
            references: references, format: Self.percent)
        let canvas = chart.draw()
        let svg = canvas.render(title: "t")
        for reference in references { #expect(svg.contains(">\(reference.label)</text>")) }
        #expect(svg.contains("stroke-dasharray=\"7 3\""))  // critical: its own dash, not only its own colour
        let labels = canvas.textBoxes.filter { box in
            references.contains { abs(TextWidth.of($0.label, size: TextWidth.labelSize) - box.width) < 0.01 }
        }
        #expect(labels.count == 3)
        Self.expectNoOverlap(canvas.textBoxes)
        for box in canvas.textBoxes { #expect(canvas.viewBox.contains(box), "\(box) leaves \(canvas.viewBox)") }
    }

    @Test func spreadKeepsLabelsApartAndInsideTheirBand() {
        let placed = HistoryChart.spread([50, 51, 52, 200], gap: 14, low: 10, high: 120)
        #expect(placed[0] == 50 && placed[1] == 64 && placed[2] == 78)
        #expect(placed[3] == 120)
        let crowded = HistoryChart.spread([118, 119, 120], gap: 14, low: 10, high: 120)
        #expect(crowded == [92, 106, 120])
    }

    @Test func periodLabelsThatWouldCollideAreThinnedButTheCurrentOneStays() {
        let points = (0..<36).map { HistoryChart.Point(axis: Double($0 - 35), label: "2026-\($0)", value: 1) }
        let canvas = HistoryChart(title: "t", points: points, references: [], format: Self.percent).draw()
        let svg = canvas.render(title: "t")
        #expect(svg.contains(">2026-35</text>"))
        #expect(!svg.contains(">2026-34</text>"))
        Self.expectNoOverlap(canvas.textBoxes)
        for box in canvas.textBoxes { #expect(canvas.viewBox.contains(box)) }
    }

    @Test func aTrajectoryRunsTheTrendLineOnToItsTargetDate() throws {
        let chart = HistoryChart(
            title: "t",
            points: [.init(axis: -1, label: "2026-09", value: 60), .init(axis: 0, label: "2026-10", value: 62)],
            references: [.init(level: 70, label: "Target 70.0% by 2027-03-31", kind: .target)],
            projection: .init(slope: 2, intercept: 62, targetAxis: 5, targetLabel: "2027-03-31"), format: Self.percent)
        let svg = chart.svg()
        #expect(svg.contains(">2027-03-31</text>"))
        let lines = Self.polylines(svg)
        let trend = try #require(lines.first)  // drawn first, under the series
        let series = try #require(lines.last)
        // The target date sits as far right of the current period as five periods take.
        let step = series[1].x - series[0].x
        #expect(abs((trend[1].x - series[1].x) - 5 * step) < 0.05)
        // The trend reaches 72 there: above the 70 target line.
        let seventy = try #require(Self.lineY(svg, className: "ref ref-target"))
        #expect(trend[1].y < seventy)
    }

    @Test func barsAreAsLongAsTheirValuesAndLongNamesAreCut() throws {
        let chart = BarChart(
            title: "t",
            bars: [
                .init(label: "North", value: 10, note: "10.0% critical", className: "bar bar-critical"),
                .init(label: "South", value: 40, note: "40.0% ok", className: "bar bar-ok"),
                .init(label: String(repeating: "Very long team name ", count: 10), value: 20, note: "20.0% warning"),
            ], references: [.init(level: 30, label: "Warning below 30.0%", kind: .warning)], format: Self.percent)
        let canvas = chart.draw()
        let svg = canvas.render(title: "t")
        let widths = Self.rects(svg).map(\.width)
        #expect(widths.count == 3)
        #expect(abs(widths[1] / widths[0] - 4) < 0.01)
        #expect(abs(widths[2] / widths[0] - 2) < 0.01)
        #expect(svg.contains("…</text>"))
        #expect(svg.contains(">10.0% critical</text>"))
        Self.expectNoOverlap(canvas.textBoxes)
        for box in canvas.textBoxes { #expect(canvas.viewBox.contains(box)) }
    }

    @Test func textFromTheDataIsEscapedInTheImage() {
        let chart = BarChart(
            title: "<b>&", bars: [.init(label: "<script>x</script> & \"q\"", value: 1, note: "1")],
            format: Self.percent)
        let svg = chart.svg()
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot;"))
        #expect(svg.contains("<title>&lt;b&gt;&amp;</title>"))
    }

    // MARK: - Reading the SVG back

    static func polylines(_ svg: String) -> [[(x: Double, y: Double)]] {
        matches(svg, #"<polyline[^>]*points="([^"]*)""#).map { list in
            list.split(separator: " ").map { pair in
                let parts = pair.split(separator: ",").map { Double($0)! }
                return (parts[0], parts[1])
            }
        }
    }

    static func rects(_ svg: String) -> [ChartRect] {
        matches(svg, #"<rect class="bar[^"]*" ([^/]*)/>"#).map { attributes in
            func value(_ name: String) -> Double {
                Double(matches(attributes, name + #"="([^"]*)""#).first!)!
            }
            return ChartRect(x: value("x"), y: value("y"), width: value("width"), height: value("height"))
        }
    }

    /// The y of the grid line whose tick reads `label`.
    static func gridY(_ svg: String, label: String) -> Double? {
        guard
            let y = matches(
                svg,
                #"<text class="label" x="[^"]*" y="([^"]*)"[^>]*>"# + NSRegularExpression.escapedPattern(for: label)
                    + "<"
            ).first
        else { return nil }
        return Double(y).map { $0 - TextWidth.labelSize * 0.35 }
    }

    static func lineY(_ svg: String, className: String) -> Double? {
        matches(svg, #"<line class=""# + className + #"" x1="[^"]*" y1="([^"]*)""#).first.flatMap(Double.init)
    }

    static func matches(_ text: String, _ pattern: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern)
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
    }

    static func expectNoOverlap(_ boxes: [ChartRect], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (index, a) in boxes.enumerated() {
            for b in boxes[(index + 1)...] {
                let overlaps =
                    a.x < b.x + b.width - 0.01 && b.x < a.x + a.width - 0.01 && a.y < b.y + b.height - 0.01
                    && b.y < a.y + a.height - 0.01
                #expect(!overlaps, "\(a) overlaps \(b)", sourceLocation: sourceLocation)
            }
        }
    }
}
