import Foundation
import KPIWatchCore
import KPIWatchEngine

/// The part of `xl/styles.xml` that matters for reading values: which cell styles display dates.
/// A cell's `s` attribute indexes `<cellXfs>`; each `<xf>` there names a number format, built in
/// (by id) or defined in `<numFmts>`.
package struct XLSXStyles: Sendable {
    /// `dateStyles[s]` is true when cell style `s` shows a date.
    package var dateStyles: [Bool]

    package static let none = XLSXStyles(dateStyles: [])

    package func isDate(style: Int) -> Bool { style >= 0 && style < dateStyles.count && dateStyles[style] }

    package static func parse(_ data: Data, describe: String) throws -> XLSXStyles {
        let handler = Handler()
        try XMLEvents.parse(data, with: handler, describe: describe)
        let dates = handler.cellFormatIDs.map { id in
            XLSXNumberFormats.isDate(id: id, code: handler.customFormats[id])
        }
        return XLSXStyles(dateStyles: dates)
    }

    private final class Handler: XMLEventHandler {
        var customFormats: [Int: String] = [:]
        var cellFormatIDs: [Int] = []
        /// `<xf>` also appears in `<cellStyleXfs>` (named styles), which cells do not index.
        var inCellXfs = false

        func start(_ name: String, _ attributes: [String: String]) {
            switch name {
            case "numFmt":
                if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
                    customFormats[id] = code
                }
            case "cellXfs":
                inCellXfs = true
            case "xf" where inCellXfs:
                cellFormatIDs.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
            default:
                break
            }
        }

        func end(_ name: String) {
            if name == "cellXfs" { inCellXfs = false }
        }
    }
}
