import KPIWatchCore

/// One measure of a workload projection over the next months: the baseline's median with its band (the
/// 10th to 90th percentile of the simulations) shaded behind it, and each scenario's median as a dashed
/// line of its own pattern, every line named at its right end (so the dash, not only the colour, tells
/// them apart).
package struct WorkloadChart: Sendable {
    package struct Line: Sendable {
        package var name: String
        /// The median per month, in `months` order (NaN: no value that month).
        package var values: [Double]

        package init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    package var title: String
    /// Month labels, e.g. 2026-11.
    package var months: [String]
    package var low: [Double]
    package var baseline: Line
    package var high: [Double]
    package var scenarios: [Line]
    package var format: @Sendable (Double) -> String

    package static let width = HistoryChart.width
    static let plotHeight = 150.0
    static let dashes = ["7 4", "2 3", "9 3 2 3", "4 4"]

    package init(
        title: String, months: [String], low: [Double], baseline: Line, high: [Double], scenarios: [Line],
        format: @escaping @Sendable (Double) -> String
    ) {
        self.title = title
        self.months = months
        self.low = low
        self.baseline = baseline
        self.high = high
        self.scenarios = scenarios
        self.format = format
    }

    package func svg() -> String { draw().render(title: title) }

    package func draw() -> SVGCanvas {
        let size = HistoryChart.size
        let gap = HistoryChart.gap
        let lines = [baseline] + scenarios
        let values = (low + high + lines.flatMap(\.values)).filter(\.isFinite)
        let scale = AxisScale(covering: values)
        let tickLabels = scale.ticks.map(format)
        let left = (tickLabels.map { TextWidth.of($0, size: size) }.max() ?? 0) + gap * 2
        let labelRoom = min(lines.map { TextWidth.of($0.name, size: size) }.max() ?? 0, Self.width * 0.35)
        let right = labelRoom + gap * 2
        let plotLeft = left
        let plotRight = Self.width - right
        let plotTop = HistoryChart.top
        let plotBottom = plotTop + Self.plotHeight
        let height = plotBottom + size * TextWidth.lineHeight + gap + 4
        var canvas = SVGCanvas(width: Self.width, height: height)
        // Each month at the middle of its own slot: its label stays clear of the value labels left of the plot
        // and of the line names right of it.
        let slot = (plotRight - plotLeft) / Double(max(months.count, 1))
        func x(_ index: Int) -> Double { plotLeft + (Double(index) + 0.5) * slot }
        func y(_ value: Double) -> Double { scale.position(value, from: plotBottom, to: plotTop) }

        for (tick, text) in zip(scale.ticks, tickLabels) {
            canvas.line(x1: plotLeft, y1: y(tick), x2: plotRight, y2: y(tick), className: "grid")
            canvas.text(text, x: plotLeft - gap, y: y(tick) + size * 0.35, anchor: .end, size: size)
        }
        canvas.line(x1: plotLeft, y1: plotBottom, x2: plotRight, y2: plotBottom, className: "axis")
        var taken: [ChartRect] = []
        for (index, month) in months.enumerated().reversed() {
            let baselineY = plotBottom + gap + size * TextWidth.ascent
            let box = SVGCanvas.box(of: month, x: x(index), y: baselineY, anchor: .middle, size: size)
            let overlaps = taken.contains { $0.x < box.x + box.width + 8 && box.x - 8 < $0.x + $0.width }
            if overlaps && index != months.count - 1 { continue }
            taken.append(box)
            canvas.text(month, x: x(index), y: baselineY, anchor: .middle, size: size)
        }

        // The band: the p90 line out, the p10 line back, over the months both are known.
        let banded = months.indices.filter { low[$0].isFinite && high[$0].isFinite }
        canvas.polygon(
            banded.map { (x($0), y(high[$0])) } + banded.reversed().map { (x($0), y(low[$0])) }, className: "band")
        for (number, line) in scenarios.enumerated() {
            canvas.polyline(
                points(line, x: x, y: y), className: "scenario scenario-\(number % Self.dashes.count + 1)",
                dashed: Self.dashes[number % Self.dashes.count])
        }
        canvas.polyline(points(baseline, x: x, y: y), className: "series")
        for (x, y) in points(baseline, x: x, y: y) { canvas.marker(x: x, y: y, className: "point") }

        // Names at the right end of each line, moved apart where two lines end close together.
        let ends = lines.map { line -> Double in
            let last = line.values.last(where: \.isFinite) ?? scale.minimum
            return y(last) + size * 0.35
        }
        let baselines = HistoryChart.spread(
            ends, gap: size * TextWidth.lineHeight, low: size * TextWidth.ascent,
            high: height - size * (TextWidth.lineHeight - TextWidth.ascent))
        for (index, (line, baselineY)) in zip(lines, baselines).enumerated() {
            canvas.text(
                TextWidth.fit(line.name, width: labelRoom, size: size), x: plotRight + gap, y: baselineY, size: size,
                className: index == 0 ? "line-label" : "line-label scenario-\((index - 1) % Self.dashes.count + 1)")
        }
        return canvas
    }

    private func points(_ line: Line, x: (Int) -> Double, y: (Double) -> Double) -> [(Double, Double)] {
        line.values.indices.filter { line.values[$0].isFinite }.map { (x($0), y(line.values[$0])) }
    }
}
