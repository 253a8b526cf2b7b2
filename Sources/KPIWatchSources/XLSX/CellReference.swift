import KPIWatchCore

/// A cell's place in a sheet: `row` as Excel numbers it (1-based), `column` 0-based (A is 0).
package struct CellPosition: Hashable, Sendable {
    package var row: Int
    package var column: Int
}

/// A rectangle of cells such as a merge `A1:C2`, inclusive on every side.
package struct CellRange: Hashable, Sendable {
    package var top: Int
    package var left: Int
    package var bottom: Int
    package var right: Int

    /// Parses `A1:C2` (or a single `B3`); nil for anything else.
    package init?(_ reference: some StringProtocol) {
        let parts = reference.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
            let first = CellReference.parse(parts[0]), let firstRow = first.row,
            let last = CellReference.parse(parts[parts.count - 1]), let lastRow = last.row
        else {
            return nil
        }
        top = min(firstRow, lastRow)
        bottom = max(firstRow, lastRow)
        left = min(first.column, last.column)
        right = max(first.column, last.column)
    }

    package func contains(row: Int) -> Bool { (top...bottom).contains(row) }
}

/// Excel's A1 notation.
package enum CellReference {
    /// The widest sheet Excel allows: columns A…XFD.
    package static let columnLimit = 16_384

    /// `B3` → column 1, row 3; `B` → column 1, row nil. `$` anchors are ignored.
    package static func parse(_ reference: some StringProtocol) -> (column: Int, row: Int?)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "$"):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard digits == 0, letters < 3 else { return nil }
                column = column * 26 + Int((byte & 0xDF) - UInt8(ascii: "A")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0, digits < 8 else { return nil }
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            default:
                return nil
            }
        }
        guard letters > 0, column <= columnLimit else { return nil }
        if digits > 0 && row == 0 { return nil }
        return (column - 1, digits > 0 ? row : nil)
    }

    /// 0 → `A`, 27 → `AB`.
    package static func letters(forColumn column: Int) -> String {
        var scalars: [Unicode.Scalar] = []
        var rest = column + 1
        while rest > 0 {
            let digit = (rest - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(ascii: "A") + UInt8(digit)))
            rest = (rest - 1) / 26
        }
        return String(String.UnicodeScalarView(scalars.reversed()))
    }

    /// `B3` for column 1, row 3.
    package static func name(row: Int, column: Int) -> String { "\(letters(forColumn: column))\(row)" }
}
