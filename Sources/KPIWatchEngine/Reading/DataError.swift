import KPIWatchCore

/// A value in the data that cannot be read as its field's type, or a row that cannot be read
/// at all: named by file, row and column so that the user can find and fix it.
public struct DataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The source as the user knows it (`data/assessments.csv`).
    public var file: String
    /// The row as a spreadsheet shows it (the header is row 1).
    public var row: Int
    /// The column as the source names it; empty for a problem of the whole row.
    public var column: String
    public var message: String

    public init(file: String, row: Int, column: String, message: String) {
        self.file = file
        self.row = row
        self.column = column
        self.message = message
    }

    /// `data/assessments.csv, row 14, column "Request Received"`.
    public var place: String {
        column.isEmpty ? "\(file), row \(row)" : "\(file), row \(row), column \"\(column)\""
    }

    /// `data/assessments.csv, row 14, column "Request Received": "31/02/2023" is not a date in dd/MM/yyyy`.
    public var description: String { "\(place): \(message)".escapingControlCharacters }

    /// The same error in the form every other error is printed in.
    public var diagnostic: Diagnostic { Diagnostic(message, place: place) }
}

/// What reading a dataset found, besides the rows it handed on.
public struct DatasetReadSummary: Sendable {
    /// Data rows the source delivered, bad ones included.
    public var rowsRead: Int
    /// Rows not handed on because a value in them was bad (with either `on_bad_rows` policy).
    public var rowsSkipped: Int
    /// The first `errorLimit` errors, in source order.
    public var errors: [DataError]
    /// Every error found, including those past the limit.
    public var errorCount: Int

    public init(rowsRead: Int = 0, rowsSkipped: Int = 0, errors: [DataError] = [], errorCount: Int = 0) {
        self.rowsRead = rowsRead
        self.rowsSkipped = rowsSkipped
        self.errors = errors
        self.errorCount = errorCount
    }
}
