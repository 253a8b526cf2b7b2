import Foundation
import GRDB
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// Databases for the SQL source tests: a SQLite file made on the spot, and the PostgreSQL server
/// that `scripts/with-postgres.sh` starts (its tests are skipped without one).
enum SQLTestSupport {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["KPIWATCH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var hasPostgres: Bool { postgresURL != nil }

    static func makeSQLite(at path: String, sql: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
    }

    /// Runs a script through psql against the test server, in a schema of its own so tests
    /// running side by side do not see each other's tables; returns the URL that selects it.
    static func loadPostgres(_ sql: String, schema: String) throws -> String {
        let url = postgresURL!
        let script =
            "DROP SCHEMA IF EXISTS \(schema) CASCADE; CREATE SCHEMA \(schema); SET search_path TO \(schema);\n"
            + sql
        let file = NSTemporaryDirectory() + "kpiwatch-\(schema)-\(UUID().uuidString).sql"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-f", file]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            throw SQLSourceError("psql failed: " + String(decoding: message, as: UTF8.self))
        }
        let separator = url.contains("?") ? "&" : "?"
        return url + separator + "options=-csearch_path%3D\(schema)"
    }

    /// Every KPI value of two evaluations is the same (reals to 1e-9), and so are counts and groups.
    static func expectSameValues(
        _ a: Evaluation, _ b: Evaluation, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        func key(_ result: KPIResult) -> String {
            "\(result.id)|\(result.period)|\(result.groupDictionary.sorted { $0.key < $1.key })"
        }
        let left = Dictionary(a.results.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        let right = Dictionary(b.results.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        #expect(a.results.count == b.results.count, sourceLocation: sourceLocation)
        #expect(Set(left.keys) == Set(right.keys), sourceLocation: sourceLocation)
        for (name, x) in left {
            guard let y = right[name] else { continue }
            let same: Bool
            switch (x.value, y.value) {
            case (nil, nil): same = true
            case (let p?, let q?): same = abs(p - q) <= 1e-9 * max(1, abs(p))
            default: same = false
            }
            #expect(
                same, "\(name): \(String(describing: x.value)) vs \(String(describing: y.value))",
                sourceLocation: sourceLocation)
            #expect(x.count == y.count, "\(name): count", sourceLocation: sourceLocation)
            #expect(x.state == y.state, "\(name): state", sourceLocation: sourceLocation)
        }
    }
}
