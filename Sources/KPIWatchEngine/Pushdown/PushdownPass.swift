import KPIWatchCore

/// Asks a source that can aggregate to compute what it can of a dataset's KPIs, and turns its buckets into the
/// accumulations the in-process pass would have built. Every KPI it leaves to the in-process pass comes with the
/// reason, which the run reports.
struct PushdownPass {
    let source: any AggregatePushdown
    let request: PushdownRequest

    struct Outcome {
        /// By position in the request's KPIs.
        var accumulations: [Int: KPIAccumulation] = [:]
        /// Pushdowns that failed at run time and were evaluated in process instead.
        var notes: [String] = []
        /// Why each KPI not pushed down was left to the in-process pass.
        var fallbacks: [String] = []
        /// The dataset's row count, from the source's profile.
        var rowsRead: Int?
    }

    func run() -> Outcome {
        var outcome = Outcome()
        let name = request.dataset.name
        let session: any PushdownSession
        do {
            session = try source.planPushdown(request)
        } catch {
            outcome.fallbacks.append("dataset '\(name)': nothing was computed in the database (\(error))")
            return outcome
        }
        outcome.rowsRead = session.rowsRead
        // The statements run side by side, each on a connection of its own, so that a database with cores to spare
        // answers several at once; their answers are taken in the KPIs' order, so the outcome does not depend on
        // which finished first.
        let answers = ParallelWork.mapOnThreads(Array(session.decisions.indices), threads: ParallelWork.cores) {
            index -> Result<[AggregateBucket], any Error>? in
            session.decisions[index].sql == nil ? nil : Result { try session.compute(index) }
        }
        for (index, (decision, answer)) in zip(session.decisions, answers).enumerated() {
            guard let answer else {
                outcome.fallbacks.append(
                    "dataset '\(name)': KPI '\(decision.kpi)' evaluated in process: \(decision.reason ?? "")")
                continue
            }
            do {
                let buckets = try answer.get()
                outcome.accumulations[index] = Self.accumulation(
                    request.kpis[index], buckets, calendar: request.calendar)
            } catch {
                outcome.notes.append(
                    "dataset '\(name)': KPI '\(decision.kpi)' could not be computed in the database "
                        + "(\(error)); it was evaluated in process instead")
            }
        }
        return outcome
    }

    static func accumulation(_ kpi: CompiledKPI, _ buckets: [AggregateBucket], calendar: PeriodCalendar)
        -> KPIAccumulation
    {
        var accumulation = KPIAccumulation(kpi: kpi, plan: KPIFinalizer.plan(for: kpi, calendar: calendar))
        for computed in buckets {
            var bucket = Bucket(kpi.aggregates)
            bucket.records = computed.records
            for (position, accumulator) in computed.accumulators.enumerated() {
                bucket.accumulators[position] = accumulator
            }
            if let group = computed.group {
                accumulation.setBucket(bucket, period: computed.period, group: GroupKey(values: group))
            } else {
                accumulation.overall[computed.period] = bucket
            }
        }
        return accumulation
    }
}
