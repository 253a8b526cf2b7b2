import Foundation
import Testing

/// docs/operations.md: the systemd units in examples/systemd, and the state store backup it describes.
@Suite struct OperationsTests {
    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/bin/", "/usr/local/bin/"].map { $0 + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// The units with the binary path pointed at the built executable, since verify checks that it exists.
    static func units(in folder: TemporaryDirectory, timer: (String) -> String = { $0 }) throws -> [String] {
        let service = try String(contentsOfFile: TestPaths.repo("examples/systemd/kpiwatch.service"), encoding: .utf8)
        let timerText = try String(contentsOfFile: TestPaths.repo("examples/systemd/kpiwatch.timer"), encoding: .utf8)
        #expect(service.contains("ExecStart=/usr/local/bin/kpiwatch check"))
        return [
            folder.write("kpiwatch.timer", timer(timerText)),
            folder.write(
                "kpiwatch.service",
                service.replacingOccurrences(of: "/usr/local/bin/kpiwatch", with: TestPaths.executable)),
        ]
    }

    @Test(
        .enabled(
            if: tool("systemd-analyze") != nil,
            "systemd-analyze is not installed (Debian's systemd package): the unit files are not verified"))
    func theSystemdUnitsPassSystemdAnalyzeVerify() throws {
        let folder = TemporaryDirectory()
        let verified = try runProcess(Self.tool("systemd-analyze")!, ["verify"] + Self.units(in: folder))
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.isEmpty && verified.stderr.isEmpty, "\(verified.stdout)\(verified.stderr)")
        // The check is real: a misspelt key is reported.
        let broken = TemporaryDirectory()
        let misspelt = try runProcess(
            Self.tool("systemd-analyze")!,
            ["verify"] + Self.units(in: broken) { $0.replacingOccurrences(of: "OnCalendar=", with: "OnCalender=") })
        #expect(misspelt.stderr.contains("OnCalender"))
    }

    @Test(
        .enabled(
            if: tool("sqlite3") != nil && tool("flock") != nil,
            "sqlite3 or flock is not installed: the documented backup is not run"))
    func theDocumentedBackupCopiesAStoreThatValidateAccepts() throws {
        let dir = TemporaryDirectory()
        dir.write(
            "kpiwatch.yaml",
            """
            version: 1
            as_of: 2024-03-31
            rules: [rules.yaml]
            state: .kpiwatch/state.sqlite
            datasets:
              plans:
                source: csv
                path: plans.csv
                fields:
                  case_id: { column: "Case Ref", key: true }
                  issued: { column: "Issued", type: date }
            """)
        dir.write(
            "rules.yaml",
            """
            kpis:
              - id: plans_issued
                title: Plans issued
                dataset: plans
                date: issued
                period: month
                value: count()
                unit: count
                thresholds: { warning: value > 0 }
            """)
        dir.write("plans.csv", "Case Ref,Issued\nP1,2024-03-05\n")
        #expect(try runKPIWatch(["check"], directory: dir.path).status == 1)
        // As docs/operations.md writes it.
        let backup = try runProcess(
            Self.tool("flock")!,
            [".kpiwatch/state.sqlite.lock", "sqlite3", ".kpiwatch/state.sqlite", ".backup 'backup.sqlite'"],
            directory: dir.path)
        #expect(backup.status == 0, "\(backup.stderr)")
        let check = try runProcess(
            Self.tool("sqlite3")!, ["backup.sqlite", "PRAGMA quick_check; PRAGMA application_id;"],
            directory: dir.path)
        #expect(check.stdout == "ok\n\(0x4B50_5753)\n")
        // Restored in place of the store, it is one kpiwatch reads.
        try FileManager.default.removeItem(atPath: dir.path + "/.kpiwatch/state.sqlite")
        try FileManager.default.copyItem(
            atPath: dir.path + "/backup.sqlite", toPath: dir.path + "/.kpiwatch/state.sqlite")
        let validated = try runKPIWatch(["validate"], directory: dir.path)
        #expect(validated.status == 0, "\(validated.stderr)")
    }
}
