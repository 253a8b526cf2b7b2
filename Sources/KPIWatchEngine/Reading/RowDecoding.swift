import KPIWatchCore

/// How `DatasetReader` types a source row: each field decoded by the dataset's `CellDecoder`, every bad value
/// recorded with file, row and column (the first `errorLimit` kept, all counted). Shared by the reading in one go and
/// the pieces read on other threads, so that both decode and report alike.
struct RowDecoding: Sendable {
    let fields: [FieldSpec]
    let types: [FieldType]
    /// Per field, whether its value is wanted (otherwise only checked, and left null).
    let decodes: [Bool]
    /// Per field, its column's position among the columns scanned.
    let slots: [Int]
    /// Per field, its column's name in the source.
    let columns: [String]
    let decoder: CellDecoder
    let origin: String
    let limit: Int

    init(dataset: DatasetConfig, origin: String, columns: [String], slots: [Int], decoding: Set<Int>?) throws {
        fields = dataset.fields
        types = fields.map(\.type)
        decodes = fields.indices.map { decoding?.contains($0) ?? true }
        self.slots = slots
        self.columns = columns
        decoder = try CellDecoder(dataset: dataset)
        self.origin = origin
        limit = dataset.errorLimit
    }

    var fieldCount: Int { fields.count }

    func record(_ error: DataError, in summary: inout DatasetReadSummary) {
        summary.errorCount += 1
        if summary.errors.count < limit { summary.errors.append(error) }
    }

    /// Decodes `row`'s fields into `values` (only the fields wanted are written); false when it has a bad value or a
    /// problem (recorded in `summary`).
    func decode(_ row: SourceRow, into values: inout [Value], summary: inout DatasetReadSummary) -> Bool {
        var good = take(row.problem, row: row.number, summary: &summary)
        for index in fields.indices
        where !take(row.cells[slots[index]], index, row: row.number, into: &values, &summary) {
            good = false
        }
        return good
    }

    /// As `decode(_ row: SourceRow, …)`, from the fields' bytes: a date or number is parsed from them, and a string no
    /// rule reads needs no look at all (any text is one). Anything else, a bad value included, is decoded as `scan`
    /// would give it.
    func decode(_ row: RawTextRow, into values: inout [Value], summary: inout DatasetReadSummary) -> Bool {
        var good = take(row.problem, row: row.number, summary: &summary)
        for index in fields.indices {
            let slot = slots[index]
            if case .bytes(let bytes) = row.fields[slot] {
                if decodes[index] {
                    if let value = decoder.nonTextValue(bytes, as: types[index]) {
                        values[index] = value
                        continue
                    }
                } else if types[index] == .string || decoder.nonTextValue(bytes, as: types[index]) != nil {
                    continue
                }
            }
            if !take(row.cell(slot), index, row: row.number, into: &values, &summary) { good = false }
        }
        return good
    }

    /// Records a problem of the whole row; false when there is one.
    private func take(_ problem: String?, row: Int, summary: inout DatasetReadSummary) -> Bool {
        guard let problem else { return true }
        record(DataError(file: origin, row: row, column: "", message: problem), in: &summary)
        return false
    }

    /// Decodes a field as the source gives it; false when it is a bad value (recorded).
    private func take(
        _ cell: Cell, _ index: Int, row: Int, into values: inout [Value], _ summary: inout DatasetReadSummary
    ) -> Bool {
        switch decoder.result(cell, as: types[index]) {
        case .success(let value):
            if decodes[index] { values[index] = value }
            return true
        case .failure(let failure):
            let message = fields[index].personal ? failure.redactedReason : failure.reason
            record(DataError(file: origin, row: row, column: columns[index], message: message), in: &summary)
            return false
        }
    }
}
