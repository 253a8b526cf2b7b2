import Foundation
import KPIWatchCore

/// Finds a worksheet's merged ranges (`<mergeCells><mergeCell ref="A1:C1"/></mergeCells>`).
///
/// They are written after all the cell data, yet the header names depend on them and are needed
/// before the first data row is handed on. Rather than parse a large sheet twice, this reads only
/// the bytes after `</sheetData>`, where no cell text can be, with a plain byte search.
package enum XLSXMergedCells {
    package static func ranges(in data: Data) -> [CellRange] {
        guard let sheetDataEnd = data.range(of: Data("sheetData>".utf8), options: .backwards),
            let open = data.range(of: Data("mergeCells".utf8), in: sheetDataEnd.upperBound..<data.endIndex),
            let openEnd = data[open.upperBound...].firstIndex(of: UInt8(ascii: ">")),
            data[data.index(before: openEnd)] != UInt8(ascii: "/")
        else {
            return []
        }
        let close = data.range(of: Data("mergeCells>".utf8), in: openEnd..<data.endIndex)?.lowerBound ?? data.endIndex
        var ranges: [CellRange] = []
        var cursor = openEnd
        let name = Data("mergeCell".utf8)
        while let found = data.range(of: name, in: cursor..<close) {
            cursor = found.upperBound
            guard found.upperBound < close, isNameEnd(data[found.upperBound]),
                let tagEnd = data[found.upperBound..<close].firstIndex(of: UInt8(ascii: ">"))
            else {
                continue
            }
            if let reference = attribute("ref", in: data[found.upperBound..<tagEnd]), let range = CellRange(reference) {
                ranges.append(range)
            }
            cursor = tagEnd
        }
        return ranges
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == 9 || byte == 10 || byte == 13
    }

    private static func isNameEnd(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">")
    }

    /// The value of attribute `name` in the bytes of a start tag after its element name.
    private static func attribute(_ name: String, in tag: Data) -> String? {
        let bytes = Array(tag)
        let key = Array(name.utf8)
        var index = 0
        while index < bytes.count {
            // An attribute name starts after whitespace; `sqref` must not match `ref`.
            guard isSpace(bytes[index]), index + key.count < bytes.count,
                Array(bytes[(index + 1)...(index + key.count)]) == key
            else {
                index += 1
                continue
            }
            var position = index + key.count + 1
            while position < bytes.count, isSpace(bytes[position]) { position += 1 }
            guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                index += 1
                continue
            }
            position += 1
            while position < bytes.count, isSpace(bytes[position]) { position += 1 }
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")
            else {
                return nil
            }
            let quote = bytes[position]
            guard let end = bytes[(position + 1)...].firstIndex(of: quote) else { return nil }
            return String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
        }
        return nil
    }
}
