import KPIWatchCore

/// A source that computes KPIs' aggregates itself (a database), so that only aggregates cross the wire. The engine
/// asks in its own terms — per KPI its compiled rule (filter, date, groups, aggregate calls) and the periods it
/// wants — and the source answers per KPI with the buckets it computed, or why it left the KPI to the engine.
/// The engine never learns what kind of source it is talking to.
package protocol AggregatePushdown: Source {
    /// Decides, per KPI of `request`, whether this source computes it; reads nothing but a profile of the dataset.
    /// Throws when the source cannot be examined at all (every KPI is then evaluated in process, and the reason
    /// reported).
    func planPushdown(_ request: PushdownRequest) throws -> any PushdownSession
}

/// What the engine wants computed over one dataset.
package struct PushdownRequest {
    package var dataset: DatasetConfig
    package var calendar: PeriodCalendar
    /// Constants that record expressions may use (benchmarks).
    package var benchmarks: [String: Value]
    package var kpis: [CompiledKPI]

    package init(dataset: DatasetConfig, calendar: PeriodCalendar, benchmarks: [String: Value], kpis: [CompiledKPI]) {
        self.dataset = dataset
        self.calendar = calendar
        self.benchmarks = benchmarks
        self.kpis = kpis
    }
}

/// A source's answer to a `PushdownRequest`.
package protocol PushdownSession {
    /// The dataset's row count, when planning learned it (so a dataset whose KPIs are all pushed down is not read).
    var rowsRead: Int? { get }
    /// One per KPI of the request, in its order: a `sql` statement when the source computes it, else a `reason`.
    var decisions: [PushdownDecision] { get }
    /// Computes the KPI at `index` of the request, whose decision carries a statement. Called for several KPIs at once,
    /// from different threads (`PushdownPass`): each call must use a connection of its own.
    func compute(_ index: Int) throws -> [AggregateBucket]
}

/// The aggregates of one KPI over one period, overall or for one group: what the in-process pass would have
/// accumulated from the rows.
package struct AggregateBucket {
    /// Index into the KPI's period plan (`KPIFinalizer.plan(for:calendar:)`).
    package var period: Int
    /// The group's values in the order of the KPI's group fields; nil for the overall value.
    package var group: [Value]?
    package var records: Int
    /// One per aggregate call of the KPI, in order.
    package var accumulators: [Accumulator]

    package init(period: Int, group: [Value]?, records: Int, accumulators: [Accumulator]) {
        self.period = period
        self.group = group
        self.records = records
        self.accumulators = accumulators
    }
}
