import Foundation
import KPIWatchCore
import KPIWatchEngine

/// The column names of a sheet, read from its header row.
///
/// - Each non-blank header cell names its column, trimmed.
/// - A merged header cell spanning several columns names the first of them with its text and the
///   others `<text> 2`, `<text> 3`…: a "Dates" cell merged over B1:C1 gives "Dates" and "Dates 2".
///   A cell merged down into the header row (A1:A2 with `header_row: 2`) names its column too.
/// - A blank header cell between named columns is named after its letter, `Column D`, so that a
///   column of values with no heading can still be read.
/// - A name used twice is numbered like a merge: the second "Date" becomes "Date 2".
package struct XLSXHeader: Sendable {
    package struct Column: Sendable, Hashable {
        /// 0-based, A is 0.
        package var index: Int
        package var name: String
    }

    /// Left to right.
    package var columns: [Column]

    package var names: [String] { columns.map(\.name) }

    /// `cells` are the header row's cells by column; `merges` those crossing the header row;
    /// `anchors` the values of merges that start above the header row, by their top-left cell.
    package init(row: Int, cells: [Int: Cell], merges: [CellRange], anchors: [CellPosition: Cell]) {
        var named: [Int: String] = [:]
        for (column, cell) in cells {
            if let text = XLSXHeader.text(of: cell) { named[column] = text }
        }
        for merge in merges where merge.contains(row: row) {
            let anchor =
                merge.top == row ? cells[merge.left] : anchors[CellPosition(row: merge.top, column: merge.left)]
            guard let text = anchor.flatMap(XLSXHeader.text(of:)) else { continue }
            for column in merge.left...merge.right {
                named[column] = column == merge.left ? text : "\(text) \(column - merge.left + 1)"
            }
        }
        guard let first = named.keys.min(), let last = named.keys.max() else {
            columns = []
            return
        }
        var used = Set<String>()
        columns = (first...last).map { index in
            let name = named[index] ?? "Column \(CellReference.letters(forColumn: index))"
            var unique = name
            var counter = 2
            while used.contains(unique) {
                unique = "\(name) \(counter)"
                counter += 1
            }
            used.insert(unique)
            return Column(index: index, name: unique)
        }
    }

    /// A header cell as the user sees it: text trimmed, numbers without `.0`, dates in ISO form.
    package static func text(of cell: Cell) -> String? {
        let text: String
        switch cell {
        case .missing: return nil
        case .text(let value): text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        case .int(let value): text = String(value)
        case .number(let value): text = Value.number(value).description
        case .bool(let value): text = value ? "TRUE" : "FALSE"
        case .date(let day): text = day.iso
        }
        return text.isEmpty ? nil : text
    }
}
