import KPIWatchCore

/// Horizontal bars, one per item (teams, caseworkers, areas), each labelled with its name and its value in words;
/// reference levels (thresholds, benchmarks) as labelled vertical lines.
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// Printed after the bar: the value and, for a KPI, its state as a word.
        public var note: String
        /// A CSS class for the bar (the state), beside the words that say the same.
        public var className: String

        public init(label: String, value: Double, note: String, className: String = "bar") {
            self.label = label
            self.value = value
            self.note = note
            self.className = className
        }
    }

    public var title: String
    public var bars: [Bar]
    public var references: [ReferenceLine]
    public var format: @Sendable (Double) -> String

    public static let width = 660.0
    package static let row = 20.0
    package static let size = TextWidth.labelSize
    package static let gap = 6.0

    public init(
        title: String, bars: [Bar], references: [ReferenceLine] = [], format: @escaping @Sendable (Double) -> String
    ) {
        self.title = title
        self.bars = bars
        self.references = references
        self.format = format
    }

    public func svg() -> String { draw().render(title: title) }

    package func draw() -> SVGCanvas {
        let size = Self.size
        let scale = AxisScale(covering: bars.map(\.value) + references.map(\.level), tickCount: 4)
        let labelWidth = min(bars.map { TextWidth.of($0.label, size: size) }.max() ?? 0, Self.width * 0.3)
        let noteWidth = min(bars.map { TextWidth.of($0.note, size: size) }.max() ?? 0, Self.width * 0.3)
        let tickLabels = scale.ticks.map(format)
        let halfTick = (tickLabels.map { TextWidth.of($0, size: size) }.max() ?? 0) / 2
        let plotLeft = max(labelWidth + Self.gap * 2, halfTick + 2)
        let plotRight = Self.width - max(noteWidth + Self.gap * 2, halfTick + 2)
        // Reference labels take one line each above the bars.
        let referenceRows = Double(references.count) * size * TextWidth.lineHeight
        let top = 4 + referenceRows
        let plotBottom = top + Double(bars.count) * Self.row
        let height = plotBottom + Self.gap + size * TextWidth.lineHeight + 4
        var canvas = SVGCanvas(width: Self.width, height: height)
        func x(_ value: Double) -> Double { scale.position(value, from: plotLeft, to: plotRight) }

        for (tick, text) in zip(scale.ticks, tickLabels) {
            canvas.line(x1: x(tick), y1: top, x2: x(tick), y2: plotBottom, className: "grid")
            canvas.text(
                text, x: x(tick), y: plotBottom + Self.gap + size * TextWidth.ascent, anchor: .middle, size: size)
        }
        for (index, bar) in bars.enumerated() {
            let rowTop = top + Double(index) * Self.row
            let start = x(min(0, bar.value))
            let end = x(max(0, bar.value))
            canvas.rect(
                ChartRect(x: start, y: rowTop + 3, width: max(end - start, 1), height: Self.row - 6),
                className: bar.className)
            let baseline = rowTop + Self.row / 2 + size * 0.35
            canvas.text(
                TextWidth.fit(bar.label, width: labelWidth, size: size), x: plotLeft - Self.gap, y: baseline,
                anchor: .end, size: size)
            canvas.text(
                TextWidth.fit(bar.note, width: noteWidth, size: size), x: plotRight + Self.gap, y: baseline, size: size)
        }
        canvas.line(x1: x(0), y1: top, x2: x(0), y2: plotBottom, className: "axis")
        for (index, reference) in references.enumerated() {
            let at = x(reference.level)
            canvas.line(
                x1: at, y1: top - 2, x2: at, y2: plotBottom, className: "ref ref-\(reference.kind.rawValue)",
                dashed: reference.dash)
            // The label starts at its line, or ends there when it would run off the right.
            let text = TextWidth.fit(reference.label, width: Self.width - 8, size: size)
            let textWidth = TextWidth.of(text, size: size)
            let anchor: SVGCanvas.Anchor = at + textWidth + 4 <= Self.width ? .start : .end
            let baseline = 4 + Double(index) * size * TextWidth.lineHeight + size * TextWidth.ascent
            var labelX = anchor == .start ? at + 2 : at - 2
            if anchor == .end { labelX = max(labelX, textWidth + 2) }
            canvas.text(
                text, x: labelX, y: baseline, anchor: anchor, size: size,
                className: "ref-label ref-\(reference.kind.rawValue)")
        }
        return canvas
    }
}
