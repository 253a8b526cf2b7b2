import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `source: csv`: a delimited text export, the header row naming the columns.
///
/// A record whose every field is empty (`,,,,` — spreadsheets leave such rows below the data) is
/// skipped like a blank line: it carries no value, and reading it as a record of nulls would
/// add phantom cases to every `count()`.
public struct CSVSource: RawTextSource {
    /// The path as the user wrote it (`data/assessments.csv`), for messages.
    public let origin: String
    /// The path resolved against the project's folder.
    public let path: String
    public let delimiter: UInt8

    public init(path: String, origin: String? = nil, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.path = path
        self.origin = origin ?? path
        self.delimiter = delimiter
    }

    public static let factory: SourceFactory = { dataset, project in
        try CSVSource(dataset: dataset, project: project)
    }

    /// Reads `path` and `delimiter` from the dataset's options.
    public init(dataset: DatasetConfig, project: ProjectConfig) throws {
        guard let written = dataset.option("path"), !written.isEmpty else {
            throw Diagnostic(
                "dataset '\(dataset.name)' (source: csv) has no path", at: dataset.location,
                hint: "add `path: data/FILE.csv`, relative to \(project.file)")
        }
        let resolved = project.resolve(written)
        if let problem = FileKind.problem(reading: resolved, shown: resolved), FileKind.of(resolved) != .folder {
            throw Diagnostic(
                "dataset '\(dataset.name)': \(problem.message)", at: dataset.optionLocation("path"),
                hint: problem.hint)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder) else {
            throw Diagnostic(
                "dataset '\(dataset.name)': file not found: \(resolved)", at: dataset.optionLocation("path"),
                hint: CSVSource.missingFileHint(resolved, project: project))
        }
        guard !isFolder.boolValue else {
            throw Diagnostic(
                "dataset '\(dataset.name)': \(resolved) is a folder, not a CSV file",
                at: dataset.optionLocation("path"), hint: "name the file, e.g. \(written)/export.csv")
        }
        self.init(path: resolved, origin: written, delimiter: try CSVSource.delimiter(of: dataset))
    }

    public func columnNames() throws -> [String] {
        let bytes = try CSVFile.readHeader(path: path, origin: origin, delimiter: delimiter)
        var parser = CSVParser(bytes: bytes, delimiter: delimiter, file: origin)
        return try readHeader(&parser)
    }

    public func scan(columns: [String], _ visit: (SourceRow) throws -> Void) throws {
        try scan(columns: columns, chunkSize: CSVChunks.defaultChunkSize, visit)
    }

    /// Streams the file in chunks of `chunkSize` bytes (small in tests, to cut records everywhere).
    package func scan(columns: [String], chunkSize: Int, _ visit: (SourceRow) throws -> Void) throws {
        var row = SourceRow(number: 0, cells: [Cell](repeating: .missing, count: columns.count))
        try forEachDataRecord(columns: columns, chunkSize: chunkSize) { parser, indices, problem in
            row.number = parser.rowNumber
            row.problem = problem
            let count = parser.fieldCount
            for (slot, index) in indices.enumerated() {
                row.cells[slot] = index < count ? .text(parser.field(index)) : .missing
            }
            try visit(row)
        }
    }

    public func scanRaw(columns: [String], _ visit: (RawTextRow) throws -> Void) throws {
        try scanRaw(columns: columns, chunkSize: CSVChunks.defaultChunkSize, visit)
    }

    /// `scan`'s records with each field's bytes lent instead of a `String` made of them.
    package func scanRaw(columns: [String], chunkSize: Int, _ visit: (RawTextRow) throws -> Void) throws {
        var row = RawTextRow(columns: columns.count, text: CSVParser.decodeText)
        try forEachDataRecord(columns: columns, chunkSize: chunkSize) { parser, indices, problem in
            try Self.visitRaw(parser, indices: indices, problem: problem, row: &row, visit)
        }
    }

    /// Lends the fields at `indices` of the record `parser` read last to `visit`, in `row`.
    static func visitRaw(
        _ parser: CSVParser, indices: [Int], problem: String?, row: inout RawTextRow,
        _ visit: (RawTextRow) throws -> Void
    ) throws {
        row.number = parser.rowNumber
        row.problem = problem
        let count = parser.fieldCount
        try parser.withBytes { buffer in
            for (slot, index) in indices.enumerated() {
                if index >= count {
                    row.fields[slot] = .missing
                } else if let bytes = parser.fieldBytes(index, in: buffer) {
                    row.fields[slot] = .bytes(bytes)
                } else {
                    row.fields[slot] = .text(parser.field(index))
                }
            }
            try visit(row)
        }
    }

    /// What `scan` and `scanRaw` share: the header read first and checked against `columns`, blank records
    /// skipped, then `body` with each data record, the header positions of `columns`, and the row's field-count
    /// problem (or nil). An empty file is an error.
    private func forEachDataRecord(
        columns: [String], chunkSize: Int,
        _ body: (_ parser: CSVParser, _ indices: [Int], _ problem: String?) throws -> Void
    ) throws {
        var header: [String]?
        var indices: [Int] = []
        try CSVChunks.forEachRecord(path: path, origin: origin, delimiter: delimiter, chunkSize: chunkSize) {
            parser in
            guard let names = header else {
                let names = try headerNames(parser)
                header = names
                indices = try columnIndexes(columns, in: names)
                return
            }
            if Self.isBlank(parser) { return }
            try body(parser, indices, fieldCountProblem(parser, headerCount: names.count))
        }
        if header == nil { throw emptyFile() }
    }

    /// Whether every field of the record `parser` read last is empty: such a record is skipped like a blank line.
    static func isBlank(_ parser: CSVParser) -> Bool {
        (0..<parser.fieldCount).allSatisfy { parser.fieldIsEmpty($0) }
    }

    func columnIndexes(_ columns: [String], in header: [String]) throws -> [Int] {
        var positions: [String: Int] = [:]
        for (index, name) in header.enumerated() where positions[name] == nil { positions[name] = index }
        return try columns.map { name in
            guard let index = positions[name] else {
                throw Diagnostic(
                    "column \"\(name)\" is not in \(origin)", place: origin,
                    hint: "columns are: " + header.map { "\"\($0)\"" }.joined(separator: ", "))
            }
            return index
        }
    }

    public func extractedAt() -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    private func readHeader(_ parser: inout CSVParser) throws -> [String] {
        guard try parser.nextRecord() else { throw emptyFile() }
        return try headerNames(parser)
    }

    func emptyFile() -> Diagnostic {
        Diagnostic("\(origin) is empty", place: origin, hint: "the first row must name the columns")
    }

    /// The record last read, as column names.
    func headerNames(_ parser: CSVParser) throws -> [String] {
        let names = (0..<parser.fieldCount).map { parser.field($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() where !name.isEmpty {
            if let first = seen[name] {
                throw Diagnostic(
                    "columns \(first + 1) and \(index + 1) of \(origin) are both named \"\(name)\"",
                    place: "\(origin), row \(parser.rowNumber)",
                    hint: "rename one of them in the export so that every column has its own name")
            }
            seen[name] = index
        }
        return names
    }

    /// A row with fewer fields than the header is a bad row (RULES.md §1: a data error naming file and row, failing
    /// the dataset unless `on_bad_rows: skip`): a field lost from the middle of a row shifts every value after it,
    /// and reading the gap as empty would count the row wrongly without a word. More fields than the header is
    /// one too, unless the extra fields are empty (trailing delimiters some exports write on every row).
    func fieldCountProblem(_ parser: CSVParser, headerCount: Int) -> String? {
        if parser.fieldCount < headerCount {
            let separator = delimiter == 9 ? "tab" : "\"\(Character(Unicode.Scalar(delimiter)))\""
            return "the row has \(parser.fieldCount) field\(parser.fieldCount == 1 ? "" : "s") but the header has "
                + "\(headerCount) columns; write every field, an empty one as nothing between two \(separator)"
        }
        guard parser.fieldCount > headerCount else { return nil }
        guard let extra = (headerCount..<parser.fieldCount).first(where: { !parser.fieldIsEmpty($0) }) else {
            return nil
        }
        let separator = delimiter == 9 ? "tab" : "\"\(Character(Unicode.Scalar(delimiter)))\""
        return "the row has \(parser.fieldCount) fields but the header has \(headerCount) columns "
            + "(field \(extra + 1) is \"\(parser.field(extra))\"); quote values that contain \(separator)"
    }

    package static func delimiter(of dataset: DatasetConfig) throws -> UInt8 {
        guard let text = dataset.option("delimiter") else { return UInt8(ascii: ",") }
        if text == "\t" || text == "\\t" || text.lowercased() == "tab" { return 9 }
        let bytes = Array(text.utf8)
        if bytes.count == 1, bytes[0] < 0x80, bytes[0] != 34, bytes[0] != 10, bytes[0] != 13 { return bytes[0] }
        throw Diagnostic(
            "dataset '\(dataset.name)': delimiter \"\(text)\" cannot separate fields",
            at: dataset.optionLocation("delimiter"),
            hint: "write one character such as \",\", \";\" or \"|\", or \"tab\" (or \"\\t\") for tab-separated files")
    }

    private static func missingFileHint(_ resolved: String, project: ProjectConfig) -> String {
        let folder = (resolved as NSString).deletingLastPathComponent
        let name = (resolved as NSString).lastPathComponent
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            return "the folder \(folder) does not exist either; paths are relative to \(project.file)"
        }
        if let near = nearestName(to: name, in: files) { return "did you mean \"\(near)\"?" }
        return "paths are relative to the folder of \(project.file)"
    }
}
