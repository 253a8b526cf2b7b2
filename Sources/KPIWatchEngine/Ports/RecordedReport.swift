import Foundation
import KPIWatchCore

/// A report `kpiwatch report` wrote and recorded in the state store, so that chat digests can point to it. Kept
/// here, beside `RunContext`, because sinks receive it from the run; the report module itself depends on this one.
public struct RecordedReport: Sendable, Equatable {
    /// The report file as an absolute path: a digest is read far from the folder the command ran in.
    public var path: String
    /// `html` or `md`.
    public var format: String
    public var asOf: Day
    public var writtenAt: Date

    public init(path: String, format: String, asOf: Day, writtenAt: Date) {
        self.path = path
        self.format = format
        self.asOf = asOf
        self.writtenAt = writtenAt
    }
}
