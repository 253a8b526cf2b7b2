@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Decodes cells as every field type, with and without a date format, as `check` does for
/// whatever field a project maps onto the column: the readers' output meets the decoder here.
enum CellSweep {
    static let decoders: [CellDecoder] = [
        CellDecoder(),
        CellDecoder(dateFormat: try! DateFormat(pattern: "dd/MM/yyyy"), nullValues: ["", "N/A", "-"]),
        CellDecoder(dateFormat: try! DateFormat(pattern: "d MMM yy"), nullValues: []),
    ]

    static func decode(_ cells: [Cell]) {
        // Each cell meets one of the decoders (taking turns), as every type.
        for (index, cell) in cells.enumerated() {
            let decoder = decoders[index % decoders.count]
            for type in FieldType.allCases {
                switch decoder.result(cell, as: type) {
                case .success(let value): _ = value.description
                case .failure(let failure): _ = (failure.reason, failure.redactedReason)
                }
            }
        }
    }

    /// Each column name once, in order: what a project could map.
    static func distinct(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    /// Reads every column of `source` and decodes every cell; errors must be located.
    static func readAll(_ source: some Source, what: String) {
        do {
            let names = distinct(try source.columnNames())
            try source.scan(columns: names) { row in
                _ = row.problem
                decode(row.cells)
            }
        } catch {
            Oracle.expectDiagnostic(error, from: what)
        }
    }
}
