import Foundation
import KPIWatchCore
import KPIWatchEngine

/// One `<row>` of a worksheet: its Excel row number and its non-empty cells, left to right.
package struct XLSXRow {
    package var number: Int
    package var cells: [(column: Int, cell: Cell)]
}

/// Streams the rows of `xl/worksheets/sheetN.xml` through a SAX parser: rows are handed over one at
/// a time as their `</row>` is read, so memory does not grow with the number of rows.
package enum XLSXSheetReader {
    /// `visit` may throw `XMLStopReading` to end early. `describe` names the sheet in errors.
    package static func read(
        _ data: Data, decoder: XLSXCellDecoder, describe: String, _ visit: (XLSXRow) throws -> Void
    ) throws {
        try withoutActuallyEscaping(visit) { visit in
            let handler = Handler(decoder: decoder, describe: describe, visit: visit)
            try XMLEvents.parse(data, with: handler, describe: describe)
        }
    }

    private final class Handler: XMLEventHandler {
        enum Capture {
            case none, value, inline
        }

        let decoder: XLSXCellDecoder
        let describe: String
        let visit: (XLSXRow) throws -> Void

        var row = XLSXRow(number: 0, cells: [])
        var inRow = false
        // Both `r` attributes are optional: a row or cell without one follows the previous.
        var nextColumn = 0
        var column = 0
        var type: String?
        var style = 0
        var value: String?
        var inline: String?
        var capture = Capture.none
        var inInlineString = false
        var phoneticDepth = 0

        init(decoder: XLSXCellDecoder, describe: String, visit: @escaping (XLSXRow) throws -> Void) {
            self.decoder = decoder
            self.describe = describe
            self.visit = visit
        }

        func start(_ name: String, _ attributes: [String: String]) throws {
            switch name {
            case "row":
                row.number = attributes["r"].flatMap { Int($0) } ?? row.number + 1
                row.cells.removeAll(keepingCapacity: true)
                inRow = true
                nextColumn = 0
            case "c":
                column = attributes["r"].flatMap { CellReference.parse($0)?.column } ?? nextColumn
                type = attributes["t"]
                style = attributes["s"].flatMap { Int($0) } ?? 0
                value = nil
                inline = nil
            case "v":
                value = ""
                capture = .value
            case "is":
                inline = ""
                inInlineString = true
            case "rPh":
                phoneticDepth += 1
            case "t" where inInlineString && phoneticDepth == 0:
                capture = .inline
            default:
                break
            }
        }

        func end(_ name: String) throws {
            switch name {
            case "v", "t":
                capture = .none
            case "is":
                inInlineString = false
            case "rPh":
                phoneticDepth -= 1
            case "c":
                guard inRow else { return }
                let cell: Cell
                do {
                    cell = try decoder.decode(type: type, style: style, value: value, inline: inline)
                } catch {
                    throw Diagnostic(
                        "cell \(CellReference.name(row: row.number, column: column)) is not valid: \(error.message)",
                        place: "\(describe), cell \(CellReference.name(row: row.number, column: column))",
                        hint: "the workbook may be damaged; open it in Excel or LibreOffice and save it again")
                }
                if cell != .missing { row.cells.append((column, cell)) }
                nextColumn = column + 1
            case "row":
                inRow = false
                try visit(row)
            case "sheetData":
                // Merges, filters and page setup follow; nothing there is data.
                throw XMLStopReading()
            default:
                break
            }
        }

        func text(_ text: String) {
            switch capture {
            case .none: break
            case .value: value? += text
            case .inline: inline? += text
            }
        }
    }
}
