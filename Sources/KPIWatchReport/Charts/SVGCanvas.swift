import KPIWatchCore

/// A rectangle in SVG user units.
public struct ChartRect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public func contains(_ other: ChartRect) -> Bool {
        other.x >= x - 0.001 && other.y >= y - 0.001 && other.x + other.width <= x + width + 0.001
            && other.y + other.height <= y + height + 0.001
    }
}

/// Writes one SVG image element by element, and keeps the box every text takes by `TextWidth`'s measure: a chart
/// places its labels from those boxes, and tests check that each lies inside the view box (printed text is
/// never clipped).
package struct SVGCanvas {
    package enum Anchor: String {
        case start, middle, end
    }

    package let width: Double
    package let height: Double
    private(set) var elements: [String] = []
    private(set) var textBoxes: [ChartRect] = []

    package init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    package var viewBox: ChartRect { ChartRect(x: 0, y: 0, width: width, height: height) }

    package mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, className: String, dashed: String? = nil
    ) {
        let dash = dashed.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        elements.append(
            "<line class=\"\(className)\" x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\"\(dash)/>")
    }

    package mutating func rect(_ box: ChartRect, className: String) {
        elements.append(
            "<rect class=\"\(className)\" x=\"\(n(box.x))\" y=\"\(n(box.y))\" width=\"\(n(box.width))\" height=\"\(n(box.height))\"/>"
        )
    }

    package mutating func polyline(_ points: [(Double, Double)], className: String, dashed: String? = nil) {
        guard points.count > 1 else { return }
        let dash = dashed.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        let list = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        elements.append("<polyline class=\"\(className)\" points=\"\(list)\" fill=\"none\"\(dash)/>")
    }

    /// A filled area (an uncertainty band), its outline closed back to the first point.
    package mutating func polygon(_ points: [(Double, Double)], className: String) {
        guard points.count > 2 else { return }
        let list = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        elements.append("<polygon class=\"\(className)\" points=\"\(list)\"/>")
    }

    /// A point marker; `square` for a second kind of point, so shape and not only colour tells them apart.
    package mutating func marker(x: Double, y: Double, className: String, square: Bool = false) {
        if square {
            rect(ChartRect(x: x - 3.5, y: y - 3.5, width: 7, height: 7), className: className)
        } else {
            elements.append("<circle class=\"\(className)\" cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3\"/>")
        }
    }

    /// Text whose baseline is at `y`; returns the box it takes.
    @discardableResult
    package mutating func text(
        _ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = TextWidth.labelSize,
        className: String = "label"
    ) -> ChartRect {
        let box = Self.box(of: content, x: x, y: y, anchor: anchor, size: size)
        textBoxes.append(box)
        let anchorText = anchor == .start ? "" : " text-anchor=\"\(anchor.rawValue)\""
        elements.append(
            "<text class=\"\(className)\" x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\"\(anchorText)>\(SVGCanvas.escape(content))</text>"
        )
        return box
    }

    /// The box a text takes: its measured width, from the ascent above the baseline to the descent below it.
    package static func box(of content: String, x: Double, y: Double, anchor: Anchor, size: Double) -> ChartRect {
        let width = TextWidth.of(content, size: size)
        let left: Double
        switch anchor {
        case .start: left = x
        case .middle: left = x - width / 2
        case .end: left = x - width
        }
        return ChartRect(x: left, y: y - size * TextWidth.ascent, width: width, height: size * TextWidth.lineHeight)
    }

    /// The finished image; `title` is read by screen readers and shown as a tooltip.
    package func render(title: String, className: String = "chart") -> String {
        var out =
            "<svg class=\"\(className)\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(SVGCanvas.escape(title))\">"
        out += "<title>\(SVGCanvas.escape(title))</title>"
        out += elements.joined()
        return out + "</svg>"
    }

    /// Text and attribute values: `&`, `<`, `>` and both quotes.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Coordinates to two decimals at most: the same chart is the same text on every machine.
    private func n(_ value: Double) -> String { Self.number(value) }

    package static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded).replacingOccurrences(of: "0$", with: "", options: .regularExpression)
    }
}
