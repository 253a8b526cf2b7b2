import KPIWatchCore

/// Text as a workbook stores it: characters XML cannot carry are written `_xHHHH_` (ECMA-376
/// §22.9.2.19), e.g. a carriage return as `_x000D_`, and a literal `_x` as `_x005F_x`.
package enum OOXMLText {
    package static func decode(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        var result = ""
        var scalars = Substring(text).unicodeScalars[...]
        while let underscore = scalars.firstIndex(of: "_") {
            result.unicodeScalars.append(contentsOf: scalars[..<underscore])
            let rest = scalars[underscore...]
            if let scalar = escaped(rest) {
                result.unicodeScalars.append(scalar)
                scalars = rest.dropFirst(7)
            } else {
                result.unicodeScalars.append("_")
                scalars = rest.dropFirst()
            }
        }
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// The character `_xHHHH_` at the start of `text` stands for, if it is one.
    private static func escaped(_ text: Substring.UnicodeScalarView.SubSequence) -> Unicode.Scalar? {
        let seven = Array(text.prefix(7))
        guard seven.count == 7, seven[1] == "x", seven[6] == "_",
            seven[2..<6].allSatisfy({ $0.properties.isASCIIHexDigit }),
            let value = UInt32(String(String.UnicodeScalarView(seven[2..<6])), radix: 16)
        else {
            return nil
        }
        return Unicode.Scalar(value)
    }
}
