import KPIWatchCore

/// The two forms of the report. Text from rules and data is escaped for the form here (Mustache escapes HTML
/// itself), so that a title with a `|` cannot break a Markdown table and a `<` cannot become markup.
public enum ReportFormat: String, Sendable, CaseIterable {
    case html, md

    /// The template a report starts from: `report.html.mustache` or `report.md.mustache`.
    public var template: String { "report.\(rawValue)" }

    package func text(_ raw: String) -> String {
        switch self {
        case .html: return raw
        case .md: return Self.markdown(raw)
        }
    }

    package func text(_ raw: String?) -> String? { raw.map { text($0) } }

    /// One line of Markdown that reads as the text itself, in a paragraph or a table cell.
    package static func markdown(_ raw: String) -> String {
        var out = ""
        for character in raw {
            switch character {
            case "\n", "\r": out += " "
            case "|", "\\", "*", "_", "`", "[", "]", "#", "~": out += "\\\(character)"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(character)
            }
        }
        return out
    }
}
