import KPIWatchCore

/// Which sheet of a workbook a dataset reads (`sheet:` in RULES.md §1).
public enum XLSXSheetSelector: Sendable, Hashable {
    /// The first sheet in tab order, hidden or not.
    case first
    /// By name, compared as Excel does, ignoring case. `sheet: 2` reads the second sheet unless a
    /// sheet is actually named `2`.
    case named(String)
    /// By 1-based position in tab order.
    case index(Int)

    /// From the `sheet:` option; no option means the first sheet.
    public init(option: String?) {
        guard let option else {
            self = .first
            return
        }
        self = .named(option)
    }
}

extension XLSXWorkbook {
    /// The sheet `selector` picks; `location` is where `sheet:` was written.
    package func sheet(_ selector: XLSXSheetSelector, location: SourceLocation?) throws -> Sheet {
        let found: Sheet?
        switch selector {
        case .first:
            found = sheets.first
        case .named(let name):
            found =
                sheets.first { $0.name == name }
                ?? sheets.first { $0.name.lowercased() == name.lowercased() }
                ?? Int(name).flatMap(sheet(at:))
        case .index(let position):
            found = sheet(at: position)
        }
        guard let found else { throw missingSheet(selector, location: location) }
        guard found.hasCells else {
            throw Diagnostic(
                "sheet '\(found.name)' of \(displayPath) is a chart sheet and has no cells", at: location,
                hint: sheetList)
        }
        return found
    }

    private func sheet(at position: Int) -> Sheet? {
        sheets.indices.contains(position - 1) ? sheets[position - 1] : nil
    }

    private func missingSheet(_ selector: XLSXSheetSelector, location: SourceLocation?) -> Diagnostic {
        switch selector {
        case .first:
            return Diagnostic("\(displayPath) has no sheets", at: location)
        case .named(let name):
            if let position = Int(name) {
                return outOfRange(position, location: location)
            }
            var hint = sheetList
            if let near = nearestName(to: name, in: sheets.map(\.name)) {
                hint = "did you mean '\(near)'? \(hint)"
            }
            return Diagnostic("\(displayPath) has no sheet named '\(name)'", at: location, hint: hint)
        case .index(let position):
            return outOfRange(position, location: location)
        }
    }

    private func outOfRange(_ position: Int, location: SourceLocation?) -> Diagnostic {
        let count = sheets.count == 1 ? "1 sheet" : "\(sheets.count) sheets"
        return Diagnostic(
            "\(displayPath) has \(count), so there is no sheet \(position)", at: location,
            hint: "give a position from 1 to \(sheets.count) or a name; \(sheetList)")
    }

    /// `sheets: 1 'Cases', 2 'Lookup'`, in tab order as the user sees them.
    package var sheetList: String {
        "sheets: " + sheets.map { "\($0.position) '\($0.name)'" }.joined(separator: ", ")
    }
}
