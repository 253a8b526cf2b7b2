import KPIWatchCore

/// A rule test file (`kpiwatch test FILE…`), read and checked against its project: what each test feeds
/// the rules and what it expects of them. Every part keeps where it was written, so that a failure names
/// the line of the expectation that failed.
public struct RuleTestFile: Sendable {
    /// The test file as the user named it.
    public var file: String
    /// The project the tests run against, loaded without its sinks (a test sends nothing).
    public var project: LoadedProject
    public var tests: [RuleTest]
}

public struct RuleTest: Sendable {
    public var name: String
    public var location: SourceLocation
    /// Every date the expectations must hold on; each is a run of its own.
    public var asOf: [Day]
    /// Datasets replaced for this test; the others are read as the project says.
    public var data: [String: TestData]
    public var expectedKPIs: [KPIExpectation]
    public var expectedAlerts: [AlertExpectation]
    /// Where `only_expected_alerts: true` was written, or nil when other alerts may fire.
    public var onlyExpectedAlerts: SourceLocation?
}

/// A dataset's records for one test.
public enum TestData: Sendable {
    /// Rows written in the test, by field name.
    case rows([InlineRow])
    /// A file in the format of the dataset's own source, resolved against the test file's folder.
    case file(path: String, location: SourceLocation)
}

/// One inline record: a cell per field given (nil for `null`), and the line it was written on, which
/// stands for its row number when a value does not read as its field's type.
public struct InlineRow: Sendable {
    public var line: Int
    public var values: [String: String?]
}

/// `expect_kpis:` item: a KPI value for one period and group, and what it must be.
public struct KPIExpectation: Sendable {
    public var id: String
    /// A period label (`2023-01`); nil for the current period.
    public var period: String?
    /// Group fields and their values as text; empty for the overall value.
    public var group: [String: String]
    /// `.some(nil)` when the test expects no value (`value: null`).
    public var value: Double??
    public var tolerance: Double
    public var state: KPIState?
    public var count: Int?
    public var location: SourceLocation

    /// How values are compared when no tolerance is written: as equal as floating point allows.
    public static let defaultTolerance = 1e-9
}

/// `expect_alerts:` item: an alert that must fire. Unwritten parts match anything.
public struct AlertExpectation: Sendable {
    public var rule: String
    public var key: String?
    public var severity: AlertSeverity?
    /// A KPI alert's group; nil matches any group.
    public var group: [String: String]?
    public var location: SourceLocation
}
