import KPIWatchCore

/// Reads a dataset once, typed by its field mapping, reporting every bad value with file, row and
/// column. It decides nothing about staleness and evaluates nothing.
///
/// A field's `column` is matched against the source's columns exactly after trimming, and if no
/// column matches exactly, ignoring case: exports change "Case Ref" to "CASE REF" between
/// versions, and that should not break a rule pack. Two columns that match only ignoring case
/// are an error, since the reader cannot know which one is meant.
public struct DatasetReader: Sendable {
    public let dataset: DatasetConfig
    public let source: any Source

    public init(dataset: DatasetConfig, source: any Source) {
        self.dataset = dataset
        self.source = source
    }

    /// Checks every mapped column exists: throws `Diagnostics`, one per missing column, each at
    /// the field's location, with the nearest column name and the columns that exist.
    public func checkColumns() throws {
        _ = try resolveColumns()
    }

    /// Streams typed rows (`[Value]` in the order of `dataset.fields`) to `visit`, with the
    /// source row number.
    ///
    /// Every bad value of a row is recorded (the first `errorLimit` kept, all counted) and the
    /// row is not visited. With `on_bad_rows: fail` the caller sees `errorCount > 0` and must not
    /// evaluate; reading still goes on to the end so that every bad row is reported in one run.
    /// With `skip` the row is left out and counted in `rowsSkipped`.
    public func read(_ visit: ([Value], Int) throws -> Void) throws -> DatasetReadSummary {
        try read(decoding: nil) { row, number in try visit(row, number) }
    }

    /// As `read(_:)`, but only the fields at the indexes `decoding` (into `dataset.fields`; nil for all) get their
    /// values; the others are null in the rows visited. Every field is still checked, so a value that is not of its
    /// field's type is a bad value at its row and column whether or not a rule reads it (RULES.md: bad rows). From a
    /// `RawTextSource` a field no rule reads is checked from its bytes, without making a `String`.
    ///
    /// `visit` may keep a row without copying it by swapping it for another array of the same length whose fields not
    /// decoded are null (a row it was given earlier, or all nulls): the reader then writes the next row over that one.
    package func read(decoding: Set<Int>?, _ visit: (inout [Value], Int) throws -> Void) throws
        -> DatasetReadSummary
    {
        try read(decoding: decoding, pieces: nil, visit)
    }

    /// As `read(decoding:_:)`; with `pieces`, a large `SplittableTextSource` is parsed and decoded in pieces on the
    /// threads `pieces` shares, and its rows visited in the source's order, with the same numbers, errors and
    /// summary as read in one go.
    package func read(
        decoding: Set<Int>?, pieces: PieceReading?, _ visit: (inout [Value], Int) throws -> Void
    ) throws -> DatasetReadSummary {
        let columns = try resolveColumns()
        var scanned: [String] = []
        var slots: [Int] = []
        for column in columns {
            if let slot = scanned.firstIndex(of: column) {
                slots.append(slot)
            } else {
                slots.append(scanned.count)
                scanned.append(column)
            }
        }
        let rows = try RowDecoding(
            dataset: dataset, origin: source.origin, columns: columns, slots: slots, decoding: decoding)

        if let split = source as? any SplittableTextSource, let pieces,
            let size = split.byteCount(), size >= pieces.minimumBytes
        {
            return try PieceReader(source: split, rows: rows, reading: pieces).read(columns: scanned, visit)
        }
        var summary = DatasetReadSummary()
        var values = [Value](repeating: .null, count: dataset.fields.count)
        func finish(_ number: Int, good: Bool) throws {
            guard good else {
                summary.rowsSkipped += 1
                return
            }
            try visit(&values, number)
        }
        if let raw = source as? any RawTextSource {
            try raw.scanRaw(columns: scanned) { row in
                summary.rowsRead += 1
                try finish(row.number, good: rows.decode(row, into: &values, summary: &summary))
            }
            return summary
        }
        try source.scan(columns: scanned) { row in
            summary.rowsRead += 1
            try finish(row.number, good: rows.decode(row, into: &values, summary: &summary))
        }
        return summary
    }

    /// The source's name of each field's column, in the order of `dataset.fields`.
    package func resolveColumns() throws -> [String] {
        let names = try source.columnNames()
        var exact: Set<String> = []
        var folded: [String: [String]] = [:]
        for name in names where !name.isEmpty {
            let name = CellDecoder.trimmed(name)
            exact.insert(name)
            folded[name.lowercased(), default: []].append(name)
        }

        var diagnostics = DiagnosticCollector()
        var columns: [String] = []
        for field in dataset.fields {
            let wanted = CellDecoder.trimmed(field.column)
            if exact.contains(wanted) {
                columns.append(wanted)
                continue
            }
            let matches = folded[wanted.lowercased()] ?? []
            if matches.count == 1 {
                columns.append(matches[0])
                continue
            }
            if matches.count > 1 {
                diagnostics.add(
                    Diagnostic(
                        "dataset '\(dataset.name)': column \"\(field.column)\" (field \(field.name)) matches "
                            + matches.map { "\"\($0)\"" }.joined(separator: " and ") + " in \(source.origin)",
                        at: field.location, hint: "write the column name exactly as one of them"))
            } else {
                diagnostics.add(
                    Diagnostic(
                        "dataset '\(dataset.name)': column \"\(field.column)\" (field \(field.name)) is not in "
                            + source.origin,
                        at: field.location, hint: Self.columnHint(for: wanted, in: names)))
            }
        }
        try diagnostics.throwIfAny()
        return columns
    }

    /// `did you mean "Request Received"? columns are: "Case Ref", "Team", …`
    package static func columnHint(for name: String, in columns: [String]) -> String {
        let named = columns.filter { !$0.isEmpty }
        guard !named.isEmpty else { return "the source has no named columns" }
        let shownLimit = 40
        var list = named.prefix(shownLimit).map { "\"\($0)\"" }.joined(separator: ", ")
        if named.count > shownLimit { list += ", … (\(named.count) in all)" }
        let columnList = "columns are: \(list)"
        if let near = nearestName(to: name, in: named) { return "did you mean \"\(near)\"? \(columnList)" }
        return columnList
    }
}
