@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// The CSV reader, differentially: the file is read whole (one chunk) and again in chunks of
/// 1 to 64 bytes, so that every record, quote, CR/LF pair and byte order mark is cut by a chunk
/// boundary somewhere; both readings must give the same rows, row numbers, problems and errors.
/// The header `validate` reads (only the first record's bytes) must be the header the scan uses.
///
/// Input: byte 0 picks the chunk size, byte 1 the delimiter, the rest is the file.
public enum CSVTarget {
    static let delimiters: [UInt8] = [44, 59, 9, 124]

    public static func run(_ input: FuzzInput) {
        guard input.bytes.count >= 2 else { return }
        let chunkSize = 1 + Int(input.bytes[0] % 64)
        let delimiter = delimiters[Int(input.bytes[1]) % delimiters.count]
        let content = input.bytes.dropFirst(2)
        let path = Scratch.write(content, as: "fuzz.csv")
        let source = CSVSource(path: path, origin: "data/fuzz.csv", delimiter: delimiter)

        let whole = read(source, chunkSize: CSVChunks.defaultChunkSize)
        let chunked = read(source, chunkSize: chunkSize)
        if whole != chunked {
            fatalError(
                "chunks of \(chunkSize) bytes read differently from the whole file\nwhole:   \(whole)\nchunked: \(chunked)"
            )
        }

        // What `validate` checks the columns against must be what `check` reads.
        let alone: [String]?
        do {
            alone = try source.columnNames()
        } catch {
            Oracle.expectDiagnostic(error, from: "the CSV header reader")
            alone = nil
        }
        var parser = CSVParser(bytes: Array(content), delimiter: delimiter, file: "data/fuzz.csv")
        var fields: [String] = []
        var inWhole: [String]? =
            (try? parser.next(into: &fields)) == true
            ? fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } : nil
        // Two columns of the same name are an error of the header, however it is read.
        if let names = inWhole?.filter({ !$0.isEmpty }), Set(names).count != names.count { inWhole = nil }
        if alone != inWhole {
            fatalError(
                "the header read alone (\(alone.map { "\($0)" } ?? "an error")) differs from the header "
                    + "of the whole file (\(inWhole.map { "\($0)" } ?? "an error"))")
        }
        for row in whole.rows { CellSweep.decode(row.cells) }
    }

    /// What a reading gave: every row, and the error that ended it, if any.
    struct Reading: Equatable, CustomStringConvertible {
        struct Row: Equatable {
            var number: Int
            var cells: [Cell]
            var problem: String?
        }
        var rows: [Row] = []
        var error: String?

        var description: String {
            rows.map { "\($0.number): \($0.cells) \($0.problem ?? "")" }.joined(separator: "; ")
                + (error.map { " error: \($0)" } ?? "")
        }
    }

    struct FirstRecordRead: Error {}

    /// A scan of every column the chunked reading's own header names.
    static func read(_ source: CSVSource, chunkSize: Int) -> Reading {
        var reading = Reading()
        do {
            var names: [String] = []
            do {
                try CSVChunks.forEachRecord(
                    path: source.path, origin: source.origin, delimiter: source.delimiter, chunkSize: chunkSize
                ) { parser in
                    names = (0..<parser.fieldCount).map { parser.field($0) }
                    throw FirstRecordRead()
                }
            } catch is FirstRecordRead {}
            let columns = CellSweep.distinct(names.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            try source.scan(columns: columns, chunkSize: chunkSize) { row in
                reading.rows.append(.init(number: row.number, cells: row.cells, problem: row.problem))
            }
        } catch {
            Oracle.expectDiagnostic(error, from: "the CSV source")
            reading.error = "\(error)"
        }
        return reading
    }
}
