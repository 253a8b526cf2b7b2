import Foundation
import KPIWatchCore
import KPIWatchEngine

/// Turns one `<c>` element into a typed `Cell`: the value's meaning depends on the cell's type
/// attribute `t`, and for numbers on its style, since a date is a number shown as a date.
package struct XLSXCellDecoder: Sendable {
    package var sharedStrings: [String]
    package var styles: XLSXStyles
    package var dateSystem: ExcelDateSystem

    /// A value the workbook itself got wrong (it was not written by a spreadsheet program, or is damaged).
    package struct Malformed: Error {
        package var message: String
    }

    /// `type` is `t` (absent means a number), `value` the text of `<v>`, `inline` the text of `<is>`.
    package func decode(type: String?, style: Int, value: String?, inline: String?) throws(Malformed) -> Cell {
        switch type {
        case nil, "n":
            guard let value = trimmed(value) else { return .missing }
            guard let number = Double(value) else {
                throw Malformed(message: "the number cell holds '\(value)'")
            }
            return styles.isDate(style: style) ? date(fromSerial: number) : XLSXCellDecoder.number(number)
        case "s":
            guard let value = trimmed(value) else { return .missing }
            guard let index = Int(value), sharedStrings.indices.contains(index) else {
                throw Malformed(
                    message: "the cell points to shared string \(value), but the workbook has "
                        + "\(sharedStrings.count)")
            }
            return XLSXCellDecoder.text(sharedStrings[index])
        case "inlineStr":
            return XLSXCellDecoder.text(inline.map(OOXMLText.decode) ?? value ?? "")
        case "str":
            return XLSXCellDecoder.text(value.map(OOXMLText.decode) ?? "")
        case "b":
            switch trimmed(value) {
            case nil: return .missing
            case "1", "true": return .bool(true)
            case "0", "false": return .bool(false)
            case let other?: throw Malformed(message: "the boolean cell holds '\(other)'")
            }
        case "e":
            // `#N/A`, `#DIV/0!`, `#REF!`…: kept as the text Excel shows, so a rule can see it.
            return .text(trimmed(value) ?? "#N/A")
        case "d":
            // ISO 8601, written by a few programs instead of a serial.
            guard let value = trimmed(value) else { return .missing }
            if let day = Day(iso: value.prefix(10)) { return .date(day) }
            return .text(value)
        case let other?:
            throw Malformed(message: "the cell has unknown type t=\"\(other)\"")
        }
    }

    private func date(fromSerial serial: Double) -> Cell {
        switch dateSystem.reading(ofSerial: serial) {
        case .day(let day): return .date(day)
        // What Excel displays; no such day exists, so reading it as a date fails and is reported.
        case .phantomLeapDay: return .text("1900-02-29")
        case .outOfRange: return XLSXCellDecoder.number(serial)
        }
    }

    /// Whole numbers as `.int`, as a count typed into Excel is stored as `12`, not `12.0`.
    package static func number(_ value: Double) -> Cell {
        if value.rounded() == value, abs(value) < 9_007_199_254_740_992 { return .int(Int(value)) }
        return .number(value)
    }

    /// An empty string is a blank cell to whoever looks at the sheet.
    package static func text(_ value: String) -> Cell { value.isEmpty ? .missing : .text(value) }

    private func trimmed(_ value: String?) -> String? {
        guard let value else { return nil }
        let result = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return result.isEmpty ? nil : result
    }
}
