import Foundation
import KPIWatchCore

/// Finds a comma right before a closing `]` or `}`, which RFC 8259 does not allow but Foundation's
/// `JSONSerialization` accepts: an export that has one is not JSON, and saying so at the comma
/// beats reading it one way here and another way in every other tool.
package enum JSONTrailingComma {
    /// Where the first such comma is, e.g. "at line 4, column 2" ("at column 12" in a one-line
    /// text), and the bracket it comes before; nil when there is none.
    package static func find(in data: Data) -> (place: String, closer: Character)? {
        data.withUnsafeBytes { bytes -> (place: String, closer: Character)? in
            var line = 1
            var column = 0
            var inString = false
            var escaped = false
            var comma: (line: Int, column: Int)?
            var multiline = false
            var found: (line: Int, column: Int, closer: Character)?
            for byte in bytes {
                // A column counts characters: UTF-8 continuation bytes do not start one.
                if byte & 0xC0 != 0x80 { column += 1 }
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\n"):
                    line += 1
                    column = 0
                    multiline = true
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    break
                case UInt8(ascii: ","):
                    comma = (line, column)
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    if let comma, found == nil {
                        found = (comma.line, comma.column, Character(Unicode.Scalar(byte)))
                    }
                    comma = nil
                default:
                    inString = byte == UInt8(ascii: "\"")
                    comma = nil
                }
            }
            guard let found else { return nil }
            let place = multiline ? "at line \(found.line), column \(found.column)" : "at column \(found.column)"
            return (place, found.closer)
        }
    }
}
