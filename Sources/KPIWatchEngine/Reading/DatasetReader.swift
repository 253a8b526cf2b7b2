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
        let columns = try resolveColumns()
        let decoder = try CellDecoder(dataset: dataset)
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

        let fields = dataset.fields
        let types = fields.map(\.type)
        let decodes = fields.indices.map { decoding?.contains($0) ?? true }
        let limit = dataset.errorLimit
        var summary = DatasetReadSummary()
        var values = [Value](repeating: .null, count: fields.count)
        func record(_ error: DataError) {
            summary.errorCount += 1
            if summary.errors.count < limit { summary.errors.append(error) }
        }
        /// Decodes a field as the source gives it; false when it is a bad value (recorded).
        func take(_ cell: Cell, _ index: Int, row: Int) -> Bool {
            switch decoder.result(cell, as: types[index]) {
            case .success(let value):
                if decodes[index] { values[index] = value }
                return true
            case .failure(let failure):
                let message = fields[index].personal ? failure.redactedReason : failure.reason
                record(DataError(file: source.origin, row: row, column: columns[index], message: message))
                return false
            }
        }
        func finish(_ number: Int, bad: Bool) throws {
            if bad {
                summary.rowsSkipped += 1
                return
            }
            try visit(&values, number)
        }

        if let raw = source as? any RawTextSource {
            try raw.scanRaw(columns: scanned) { row in
                summary.rowsRead += 1
                var bad = false
                if let problem = row.problem {
                    bad = true
                    record(DataError(file: source.origin, row: row.number, column: "", message: problem))
                }
                for index in fields.indices {
                    let slot = slots[index]
                    if case .bytes(let bytes) = row.fields[slot] {
                        // A date or number parsed from the bytes; a string no rule reads needs no look at all (any
                        // text is one). Anything else, a bad value included, is decoded as `scan` would give it.
                        if decodes[index] {
                            if let value = decoder.nonTextValue(bytes, as: types[index]) {
                                values[index] = value
                                continue
                            }
                        } else if types[index] == .string || decoder.nonTextValue(bytes, as: types[index]) != nil {
                            continue
                        }
                    }
                    if !take(row.cell(slot), index, row: row.number) { bad = true }
                }
                try finish(row.number, bad: bad)
            }
            return summary
        }

        try source.scan(columns: scanned) { row in
            summary.rowsRead += 1
            var bad = false
            if let problem = row.problem {
                bad = true
                record(DataError(file: source.origin, row: row.number, column: "", message: problem))
            }
            for index in fields.indices where !take(row.cells[slots[index]], index, row: row.number) { bad = true }
            try finish(row.number, bad: bad)
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
