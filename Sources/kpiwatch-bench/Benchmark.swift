import Foundation
import KPIWatch
import KPIWatchCore
import KPIWatchEngine
import KPIWatchSources

/// `swift run -c release kpiwatch-bench [ROWS]`: measures how fast kpiwatch reads a CSV export and
/// evaluates the whole standard pack over it, and how much memory that takes. The data is the demo's
/// assessments repeated (with fresh case ids) up to ROWS rows (default 1,000,000).
@main
struct Benchmark {
    static func main() throws {
        if CommandLine.arguments.dropFirst().first == "pipeline" {
            try PipelineBenchmark.run(alerts: CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 100_000)
            return
        }
        let rows = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let demo = repository.appendingPathComponent("examples/demo")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("kpiwatch-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let data = work.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for name in ["plans.csv", "staff.csv", "population.csv", "complaints.csv"] {
            try FileManager.default.copyItem(
                at: demo.appendingPathComponent("data/\(name)"), to: data.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(
            at: demo.appendingPathComponent("benchmarks.yaml"), to: work.appendingPathComponent("benchmarks.yaml"))
        let bytes = try writeAssessments(
            rows: rows, from: demo.appendingPathComponent("data/assessments.csv"),
            to: data.appendingPathComponent("assessments.csv"))
        var project = try String(contentsOf: demo.appendingPathComponent("kpiwatch.yaml"), encoding: .utf8)
        project = project.replacingOccurrences(of: "../../rules", with: repository.appendingPathComponent("rules").path)
        project = project.replacingOccurrences(of: "  - type: file\n    path: out/alerts.jsonl\n", with: "")
        let config = work.appendingPathComponent("kpiwatch.yaml")
        try project.write(to: config, atomically: true, encoding: .utf8)
        let megabytes = Double(bytes) / 1_000_000
        print("assessments.csv: \(rows) rows, \(format(megabytes)) MB")

        // 1. The whole standard pack, as `kpiwatch check` runs it; first, so that its peak memory is its own.
        let engine = Engine.standard()
        let loaded = try engine.load(configPath: config.path)
        var start = Date()
        let evaluation = try engine.evaluate(loaded, asOf: Day(iso: "2026-10-31")!)
        var seconds = Date().timeIntervalSince(start)
        let kpis = loaded.compiled.kpiIDs.count
        let cases = loaded.compiled.caseAlertIDs.count
        print(
            "check, \(kpis) KPIs + \(cases) case alerts: \(format(seconds)) s, \(format(Double(rows) / seconds / 1000)) k assessment rows/s, \(evaluation.alerts.count) alerts"
        )
        print("peak memory of the check (max RSS): \(format(Double(peakResidentKilobytes()) / 1024)) MB")
        // 2. The CSV parser alone, every field of every row.
        start = Date()
        var parser = CSVParser(bytes: Array(try Data(contentsOf: data.appendingPathComponent("assessments.csv"))))
        var fields: [String] = []
        var records = 0
        while try parser.next(into: &fields) { records += 1 }
        seconds = Date().timeIntervalSince(start)
        print(
            "csv parse (all fields): \(format(megabytes / seconds)) MB/s, \(format(Double(records) / seconds / 1000)) k rows/s"
        )

        // 3. The dataset reader: projection and typed decoding of the pack's fields.
        let assessments = loaded.config.dataset(named: "assessments")!
        start = Date()
        let source = try engine.sources.makeSource(for: assessments, in: loaded.config)
        let summary = try DatasetReader(dataset: assessments, source: source).read { _, _ in }
        seconds = Date().timeIntervalSince(start)
        print(
            "read + decode \(assessments.fields.count) typed fields: \(format(megabytes / seconds)) MB/s, \(format(Double(summary.rowsRead) / seconds / 1000)) k rows/s"
        )
    }

    /// Repeats the demo's rows with new case ids until `rows` rows are written; returns the file size.
    static func writeAssessments(rows: Int, from source: URL, to target: URL) throws -> Int {
        let lines = try String(contentsOf: source, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: true)
        let header = lines[0]
        let body = lines.dropFirst()
        _ = FileManager.default.createFile(atPath: target.path, contents: nil)
        let handle = try FileHandle(forWritingTo: target)
        defer { try? handle.close() }
        // Written in pieces, so that making the data does not set the peak memory being measured.
        var out = Data()
        var size = 0
        out.append(contentsOf: Array(header.utf8))
        out.append(10)
        var written = 0
        var round = 0
        while written < rows {
            for line in body where written < rows {
                // Case ids stay unique across copies: "EHC-000123" becomes "EHC-000123-7".
                let comma = line.firstIndex(of: ",")!
                out.append(contentsOf: Array(line[..<comma].utf8))
                out.append(contentsOf: Array("-\(round)".utf8))
                out.append(contentsOf: Array(line[comma...].utf8))
                out.append(10)
                written += 1
                if out.count > 1 << 20 {
                    try handle.write(contentsOf: out)
                    size += out.count
                    out.removeAll(keepingCapacity: true)
                }
            }
            round += 1
        }
        try handle.write(contentsOf: out)
        return size + out.count
    }

    static func peakResidentKilobytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
