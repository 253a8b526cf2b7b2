import KPIWatchCore

/// `kpiwatch benchmarks --la CODE`: an authority's benchmarks computed from DfE's and ONS's published
/// files, so that the rule pack compares it with this year's England, region and statistical
/// neighbours instead of figures copied from an old paper.
public enum BenchmarkGenerator {
    /// - Parameters:
    ///   - authority: the 3-digit DfE number, the ONS code or the name.
    ///   - dataDirectory: DfE's and ONS's files, full or the bundled extract (see `ReleaseFiles`).
    ///   - year: the calendar year of timeliness and requests, and the caseload of the January after it;
    ///     nil takes the latest year each file has.
    /// - Throws: `Diagnostic`/`Diagnostics` for missing files or columns, an unknown authority, a year a
    ///   file does not have.
    public static func generate(authority: String, dataDirectory: String, year: Int? = nil) throws
        -> GeneratedBenchmarks
    {
        let files = try ReleaseFiles.locate(in: dataDirectory)
        func table(_ relative: String, _ columns: [String], _ filters: [String: String]) throws -> EESTable {
            try EESTable.read(path: files.path(relative), label: relative, columns: columns, where: filters)
        }
        let timeliness = try table(files.timeliness, TimelinessBenchmarks.columns, TimelinessBenchmarks.filters)
        let requests = try table(files.requests, RequestRateBenchmarks.columns, RequestRateBenchmarks.filters)
        let caseload = try table(
            files.caseload, PlansPerPopulationBenchmarks.columns, PlansPerPopulationBenchmarks.filters)
        let population = try PopulationEstimates.read(path: files.path(files.population), label: files.population)
        let neighbourFile = try StatisticalNeighbours.read(path: files.path(files.neighbours))

        let directory = AuthorityDirectory(rows: timeliness.rows + requests.rows + caseload.rows)
        let la = try directory.resolve(authority)
        var notes: [String] = []
        let neighbours = neighbourFile.neighbours(of: la.name)
        if neighbours == nil {
            notes.append("\(files.neighbours) has no column for \(la.name): no statistical-neighbour figures")
        }

        let timelinessYear = try ReleaseYear.choose(in: timeliness, year: year, period: TimelinessBenchmarks.period)
        let requestsYear = try ReleaseYear.choose(in: requests, year: year, period: RequestRateBenchmarks.period)
        let caseloadYear = try ReleaseYear.choose(
            in: caseload, year: year, period: PlansPerPopulationBenchmarks.period)

        var outcome = ComparisonOutcome()
        for measure in TimelinessBenchmarks.measures(timelinessYear, fileLabel: files.timeliness) {
            outcome.append(compare(measure, timelinessYear, la, neighbours))
        }
        let populationMeasures = [
            (
                RequestRateBenchmarks.measure(requestsYear, fileLabel: files.requests, population: population),
                requestsYear, RequestRateBenchmarks.name
            ),
            (
                PlansPerPopulationBenchmarks.measure(caseloadYear, fileLabel: files.caseload, population: population),
                caseloadYear, PlansPerPopulationBenchmarks.name
            ),
        ]
        for (measure, release, names) in populationMeasures {
            switch measure {
            case .success(let measure): outcome.append(compare(measure, release, la, neighbours))
            case .failure(let missing):
                outcome.entries += ComparisonScope.allCases.map {
                    .missing(MissingBenchmark(name: names($0), reason: missing.reason))
                }
            }
        }
        var seen: Set<String> = []
        notes += outcome.notes.filter { seen.insert($0).inserted }
        return GeneratedBenchmarks(
            authority: la, files: files, neighbours: neighbours ?? [], entries: outcome.entries, notes: notes,
            periods: [
                "\(files.timeliness) (calendar year \(timelinessYear.timePeriod))",
                "\(files.requests) (calendar year \(requestsYear.timePeriod))",
                "\(files.caseload) (time_period \(caseloadYear.timePeriod))",
                "\(files.population) (mid-years \(population.midYears.map(String.init).joined(separator: ", ")))",
                files.neighbours,
            ])
    }

    private static func compare(
        _ measure: Measure, _ release: ReleaseYear, _ la: LocalAuthority, _ neighbours: [String]?
    ) -> ComparisonOutcome {
        AreaComparison(release: release, authority: la, neighbours: neighbours).compute(measure)
    }
}

/// What `BenchmarkGenerator` computed for one authority; `yaml` is the benchmark file.
public struct GeneratedBenchmarks: Sendable {
    public var authority: LocalAuthority
    public var files: ReleaseFiles
    /// As the statistical-neighbour file names them.
    public var neighbours: [String]
    public var entries: [BenchmarkEntry]
    /// Neighbours that could not be matched, files without a column for the authority.
    public var notes: [String]
    /// Each file read, with the year taken from it.
    public var periods: [String]

    public var figures: [BenchmarkFigure] {
        entries.compactMap { if case .figure(let figure) = $0 { figure } else { nil } }
    }

    public var missing: [MissingBenchmark] {
        entries.compactMap { if case .missing(let missing) = $0 { missing } else { nil } }
    }

    public func figure(_ name: String) -> BenchmarkFigure? { figures.first { $0.name == name } }

    public var yaml: String { BenchmarkFileWriter.render(self) }
}
