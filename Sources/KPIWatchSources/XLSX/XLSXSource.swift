import Foundation
import KPIWatchCore
import KPIWatchEngine

/// A sheet of an Excel workbook (`source: xlsx`, RULES.md §1). Cells keep the types the workbook
/// gives them: date cells arrive as `.date`, numbers as `.int`/`.number`, booleans as `.bool`.
///
/// Rows are numbered as Excel numbers them, so `row 14` in an error is row 14 on screen. Rows above
/// `header_row` are skipped; a row with no value in any column is skipped but still counted.
public struct XLSXSource: Source {
    /// Where a source's options were written, for errors about them.
    public struct OptionLocations: Sendable, Hashable {
        public var path: SourceLocation?
        public var sheet: SourceLocation?
        public var headerRow: SourceLocation?

        public init(path: SourceLocation? = nil, sheet: SourceLocation? = nil, headerRow: SourceLocation? = nil) {
            self.path = path
            self.sheet = sheet
            self.headerRow = headerRow
        }
    }

    /// The path as the user wrote it, for messages.
    public let displayPath: String
    /// The path opened, resolved against the project's folder.
    public let filePath: String
    /// The sheet's name, resolved when the source was made.
    public let sheetName: String
    public let headerRow: Int
    public let locations: OptionLocations

    /// `data/cases.xlsx [Cases]`
    public var origin: String { "\(displayPath) [\(sheetName)]" }

    /// Opens the workbook to find the sheet, so that a wrong path or sheet is reported at once.
    public init(
        filePath: String, displayPath: String? = nil, sheet: XLSXSheetSelector = .first, headerRow: Int = 1,
        locations: OptionLocations = OptionLocations()
    ) throws {
        guard headerRow >= 1 else {
            throw Diagnostic(
                "header_row must be 1 or more, not \(headerRow)", at: locations.headerRow,
                hint: "rows are numbered from 1, as in Excel")
        }
        self.filePath = filePath
        self.displayPath = displayPath ?? filePath
        self.headerRow = headerRow
        self.locations = locations
        let workbook = try XLSXWorkbook(filePath: filePath, displayPath: self.displayPath, location: locations.path)
        sheetName = try workbook.sheet(sheet, location: locations.sheet).name
    }

    public static let factory: SourceFactory = { dataset, project in
        guard let path = dataset.option("path") else {
            throw Diagnostic(
                "dataset '\(dataset.name)' reads an Excel workbook but has no 'path'", at: dataset.location,
                hint: "add e.g. 'path: data/cases.xlsx' (relative to the project file)")
        }
        var headerRow = 1
        if let text = dataset.option("header_row") {
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), number >= 1 else {
                throw Diagnostic(
                    "header_row must be a row number, not '\(text)'", at: dataset.optionLocation("header_row"),
                    hint: "rows are numbered from 1, as in Excel; the default is 1")
            }
            headerRow = number
        }
        let locations = OptionLocations(
            path: dataset.optionLocation("path"), sheet: dataset.optionLocation("sheet"),
            headerRow: dataset.optionLocation("header_row"))
        if let problem = FileKind.problem(reading: project.resolve(path), shown: path) {
            throw Diagnostic("dataset '\(dataset.name)': \(problem.message)", at: locations.path, hint: problem.hint)
        }
        return try XLSXSource(
            filePath: project.resolve(path), displayPath: path,
            sheet: XLSXSheetSelector(option: dataset.option("sheet")),
            headerRow: headerRow, locations: locations)
    }

    public func columnNames() throws -> [String] {
        try tableReader().readHeader().names
    }

    public func scan(columns: [String], _ visit: (SourceRow) throws -> Void) throws {
        let reader = try tableReader()
        var projection: [Int]?
        var width = 0
        var cells: [Cell] = []
        let header = try reader.read { header, row in
            if projection == nil {
                projection = try project(columns, onto: header)
                width = (header.columns.last?.index ?? -1) + 1
                cells = [Cell](repeating: .missing, count: width)
            }
            for index in cells.indices { cells[index] = .missing }
            var empty = true
            for (column, cell) in row.cells where column < width {
                cells[column] = cell
                empty = false
            }
            if empty { return }
            try visit(SourceRow(number: row.number, cells: projection!.map { cells[$0] }))
        }
        // A sheet with no data rows still reports a column that is not there.
        if projection == nil { _ = try project(columns, onto: header) }
    }

    public func extractedAt() -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: filePath))?[.modificationDate] as? Date
    }

    private func tableReader() throws -> XLSXTableReader {
        let workbook = try XLSXWorkbook(filePath: filePath, displayPath: displayPath, location: locations.path)
        let sheet = try workbook.sheet(.named(sheetName), location: locations.sheet)
        return XLSXTableReader(
            workbook: workbook, sheet: sheet, headerRow: headerRow, headerRowLocation: locations.headerRow)
    }

    /// The sheet column index of each asked-for column.
    private func project(_ columns: [String], onto header: XLSXHeader) throws -> [Int] {
        let indexByName = Dictionary(
            header.columns.map { ($0.name, $0.index) }, uniquingKeysWith: { first, _ in first })
        return try columns.map { name in
            guard let index = indexByName[name] else {
                throw Diagnostic(
                    "column '\(name)' not found in \(origin)", place: origin,
                    hint: suggestion(for: name, in: header.names, noun: "columns"))
            }
            return index
        }
    }
}
