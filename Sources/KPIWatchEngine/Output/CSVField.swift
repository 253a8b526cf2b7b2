import KPIWatchCore

/// One field of an RFC 4180 line: quoted only when it holds a comma, a quote or a line break.
package enum CSVField {
    package static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
