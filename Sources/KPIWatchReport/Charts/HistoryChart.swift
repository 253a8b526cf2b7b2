import KPIWatchCore

/// A KPI's history as a line over its periods, with its thresholds and benchmarks as labelled horizontal lines;
/// for a trajectory, the trend line drawn on to the target date.
public struct HistoryChart: Sendable {
    public struct Point: Sendable {
        /// Position on the time axis in periods (the current period at 0).
        public var axis: Double
        public var label: String
        public var value: Double?

        public init(axis: Double, label: String, value: Double?) {
            self.axis = axis
            self.label = label
            self.value = value
        }
    }

    /// The least-squares line through the history read on to a date: `forecast(DATE)`'s line.
    public struct Projection: Sendable {
        public var slope: Double
        public var intercept: Double
        public var targetAxis: Double
        public var targetLabel: String

        public init(slope: Double, intercept: Double, targetAxis: Double, targetLabel: String) {
            self.slope = slope
            self.intercept = intercept
            self.targetAxis = targetAxis
            self.targetLabel = targetLabel
        }

        package func value(at axis: Double) -> Double { intercept + slope * axis }
    }

    public var title: String
    public var points: [Point]
    public var references: [ReferenceLine]
    public var projection: Projection?
    public var format: @Sendable (Double) -> String

    public static let width = 660.0
    package static let plotHeight = 150.0
    package static let top = 12.0
    package static let size = TextWidth.labelSize
    package static let gap = 6.0

    public init(
        title: String, points: [Point], references: [ReferenceLine], projection: Projection? = nil,
        format: @escaping @Sendable (Double) -> String
    ) {
        self.title = title
        self.points = points
        self.references = references
        self.projection = projection
        self.format = format
    }

    public func svg() -> String { draw().render(title: title) }

    package func draw() -> SVGCanvas {
        let size = Self.size
        var values = points.compactMap(\.value) + references.map(\.level)
        if let projection { values += [projection.value(at: projection.targetAxis)] }
        let scale = AxisScale(covering: values.filter(\.isFinite))
        let tickLabels = scale.ticks.map(format)
        let firstAxis = points.first?.axis ?? 0
        let lastAxis = projection?.targetAxis ?? points.last?.axis ?? 1
        var xLabels = points.map { (axis: $0.axis, text: $0.label) }
        if let projection { xLabels.append((projection.targetAxis, projection.targetLabel)) }
        let firstHalf = xLabels.first.map { TextWidth.of($0.text, size: size) / 2 } ?? 0
        let lastHalf = xLabels.last.map { TextWidth.of($0.text, size: size) / 2 } ?? 0
        let left = max((tickLabels.map { TextWidth.of($0, size: size) }.max() ?? 0) + Self.gap * 2, firstHalf + 2)
        // Reference labels sit right of the plot; the plot keeps at least 60% of the width.
        let widest = references.map { TextWidth.of($0.label, size: size) }.max() ?? 0
        let labelRoom = min(widest, Self.width * 0.4 - Self.gap * 2)
        let right = max(references.isEmpty ? 0 : labelRoom + Self.gap * 2, lastHalf + 2)
        let plotLeft = left
        let plotRight = Self.width - right
        let plotTop = Self.top
        // One period is a point, not a history: a low plot is enough to set it against its thresholds.
        let plotBottom = Self.top + (points.count > 1 ? Self.plotHeight : Self.plotHeight / 2)
        let height = plotBottom + size * TextWidth.lineHeight + Self.gap + 4
        var canvas = SVGCanvas(width: Self.width, height: height)
        let span = lastAxis - firstAxis
        func x(_ axis: Double) -> Double {
            span <= 0 ? (plotLeft + plotRight) / 2 : plotLeft + (axis - firstAxis) / span * (plotRight - plotLeft)
        }
        func y(_ value: Double) -> Double { scale.position(value, from: plotBottom, to: plotTop) }

        for (tick, text) in zip(scale.ticks, tickLabels) {
            canvas.line(x1: plotLeft, y1: y(tick), x2: plotRight, y2: y(tick), className: "grid")
            canvas.text(text, x: plotLeft - Self.gap, y: y(tick) + size * 0.35, anchor: .end, size: size)
        }
        canvas.line(x1: plotLeft, y1: plotBottom, x2: plotRight, y2: plotBottom, className: "axis")
        drawXLabels(xLabels, x: x, baseline: plotBottom + Self.gap + size * TextWidth.ascent, on: &canvas)

        // Reference lines, then their labels moved apart where two levels are close.
        for reference in references {
            canvas.line(
                x1: plotLeft, y1: y(reference.level), x2: plotRight, y2: y(reference.level),
                className: "ref ref-\(reference.kind.rawValue)", dashed: reference.dash)
        }
        let baselines = Self.spread(
            references.map { y($0.level) + size * 0.35 }, gap: size * TextWidth.lineHeight,
            low: size * TextWidth.ascent, high: height - size * (TextWidth.lineHeight - TextWidth.ascent))
        for (reference, baseline) in zip(references, baselines) {
            canvas.text(
                TextWidth.fit(reference.label, width: labelRoom, size: size), x: plotRight + Self.gap, y: baseline,
                size: size, className: "ref-label ref-\(reference.kind.rawValue)")
        }

        if let projection, let first = points.first {
            canvas.polyline(
                [
                    (x(first.axis), y(projection.value(at: first.axis))),
                    (x(projection.targetAxis), y(projection.value(at: projection.targetAxis))),
                ], className: "trend", dashed: "5 4")
            canvas.marker(
                x: x(projection.targetAxis), y: y(projection.value(at: projection.targetAxis)), className: "forecast",
                square: true)
        }
        // The series: a gap where a period has no value.
        var run: [(Double, Double)] = []
        for point in points {
            if let value = point.value, value.isFinite {
                run.append((x(point.axis), y(value)))
            } else {
                canvas.polyline(run, className: "series")
                run = []
            }
        }
        canvas.polyline(run, className: "series")
        for point in points {
            if let value = point.value, value.isFinite {
                canvas.marker(x: x(point.axis), y: y(value), className: "point")
            }
        }
        return canvas
    }

    /// Period labels under the axis: as many as fit side by side, always the last (the current period or target).
    private func drawXLabels(
        _ labels: [(axis: Double, text: String)], x: (Double) -> Double, baseline: Double, on canvas: inout SVGCanvas
    ) {
        var taken: [ChartRect] = []
        for (index, label) in labels.enumerated().reversed() {
            let box = SVGCanvas.box(
                of: label.text, x: x(label.axis), y: baseline, anchor: .middle, size: Self.size)
            let padded = ChartRect(x: box.x - 4, y: box.y, width: box.width + 8, height: box.height)
            let overlaps = taken.contains { $0.x < padded.x + padded.width && padded.x < $0.x + $0.width }
            if overlaps && index != labels.count - 1 { continue }
            taken.append(padded)
            canvas.text(label.text, x: x(label.axis), y: baseline, anchor: .middle, size: Self.size)
        }
    }

    /// Baselines for labels wanted at `wanted`, at least `gap` apart and within `low`…`high`, each as near its
    /// wish as that allows; in the order given.
    package static func spread(_ wanted: [Double], gap: Double, low: Double, high: Double) -> [Double] {
        let order = wanted.indices.sorted { wanted[$0] < wanted[$1] }
        var placed = order.map { wanted[$0] }
        for index in placed.indices {
            placed[index] = max(placed[index], low)
            if index > 0 { placed[index] = max(placed[index], placed[index - 1] + gap) }
        }
        // Pushed past the bottom: move the lowest up, and those above it as far as needed.
        if let last = placed.indices.last, placed[last] > high {
            placed[last] = high
            for index in stride(from: last - 1, through: 0, by: -1) {
                placed[index] = min(placed[index], placed[index + 1] - gap)
            }
        }
        var result = wanted
        for (position, index) in order.enumerated() { result[index] = placed[position] }
        return result
    }
}
