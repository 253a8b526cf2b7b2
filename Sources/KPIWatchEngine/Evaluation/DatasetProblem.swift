import KPIWatchCore

/// One problem with a dataset in a run, kept typed until it is printed: a bad value (file, row and column), an
/// error found in a file or the source behind it (a `Diagnostic`, with its location and hint), or a line about the
/// dataset as a whole (stale data, rows skipped, a KPI the database left to the engine). `description` is the one
/// line `check` prints for it.
public enum DatasetProblem: Sendable, Hashable, CustomStringConvertible {
    /// A value or row that could not be read.
    case badValue(DataError)
    /// The source could not be read (or not all of it).
    case error(Diagnostic)
    /// About the dataset as a whole, or an error that came with nothing but its text.
    case note(String)

    public var description: String {
        switch self {
        case .badValue(let error): return error.description
        case .error(let diagnostic): return diagnostic.description
        case .note(let text): return text
        }
    }
}
