import Foundation
import GRDB
import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The digest's last line, read back from a real HTTP server on 127.0.0.1 with the report recorded in a real state
/// store: the report written for the day by its path and date, or plainly that there is none for the day (never
/// written, older, moved away) with the command that writes one; the project's link whatever was recorded.
@Suite("Webhook digest: the report it points to", .serialized)
struct WebhookReportPointerTests {
    static let asOf = WebhookFixture.asOf
    static let command = "run kpiwatch report --config kpiwatch.yaml --as-of 2024-03-31"

    /// A folder with a state store and a report file in a folder named as councils name their shared drives.
    final class Recorded {
        let folder = TemporaryDirectory()
        let store: StateStore
        let reportPath: String

        init() throws {
            store = try StateStore.open(path: folder.path + "/.kpiwatch/state.sqlite")
            reportPath = folder.write("SEND & Inclusion/committee/report.html", "<html></html>")
        }

        func record(_ path: String? = nil, asOf: Day, at seconds: Double = 0) throws {
            try store.recordReport(
                RecordedReport(
                    path: path ?? reportPath, format: "html", asOf: asOf,
                    writtenAt: Date(timeIntervalSince1970: 1_790_000_000 + seconds)))
        }

        /// What a check's pipeline hands the sinks: the store's pick for the day.
        var latest: RecordedReport? { get throws { try store.latestReport(for: WebhookReportPointerTests.asOf) } }
    }

    func body(format: String, report: RecordedReport?, link: String? = nil) throws -> String {
        try #require(
            try WebhookDigestTests().post(
                WebhookDigestTests.notifications, format: format, reportLink: link, report: report
            )
            .first)
    }

    @Test(arguments: ["slack", "teams", "google_chat"])
    func aReportWrittenForTheDayIsNamedByItsPathAndDate(format: String) throws {
        let recorded = try Recorded()
        try recorded.record(asOf: Self.asOf)
        let body = try body(format: format, report: try recorded.latest)
        #expect(body.contains("Full report (as of 2024-03-31): \(recorded.reportPath)"), "\(body)")
        #expect(!body.contains("No report written"))
    }

    @Test(arguments: ["slack", "teams", "google_chat"])
    func aReportForAnEarlierDayIsCalledOlderAndTheCommandGiven(format: String) throws {
        let recorded = try Recorded()
        try recorded.record(asOf: Day(iso: "2024-02-29")!)
        let body = try body(format: format, report: try recorded.latest)
        #expect(
            body.contains(
                "No report written for 2024-03-31 (the latest, for 2024-02-29, is at \(recorded.reportPath)) — "
                    + Self.command), "\(body)")
        #expect(!body.contains("Full report"))
    }

    @Test(arguments: ["slack", "teams", "google_chat"])
    func aReportFileThatWasDeletedIsSaidToBeGone(format: String) throws {
        let recorded = try Recorded()
        try recorded.record(asOf: Self.asOf)
        try FileManager.default.removeItem(atPath: recorded.reportPath)
        let body = try body(format: format, report: try recorded.latest)
        #expect(
            body.contains("The report for 2024-03-31 is no longer at \(recorded.reportPath) — " + Self.command),
            "\(body)")
    }

    @Test(arguments: ["slack", "teams", "google_chat"])
    func theProjectsLinkIsGivenWithTheDateOfTheReportRecorded(format: String) throws {
        let link = "https://intranet.example/send/report.html"
        let recorded = try Recorded()
        #expect(try body(format: format, report: try recorded.latest, link: link).contains("Full report: \(link)"))
        // The published copy is not the file written here: the link stands even when that file is gone, dated.
        try recorded.record(asOf: Day(iso: "2024-02-29")!)
        try FileManager.default.removeItem(atPath: recorded.reportPath)
        let body = try body(format: format, report: try recorded.latest, link: link)
        #expect(body.contains("Full report (as of 2024-02-29): \(link)"), "\(body)")
        #expect(!body.contains("no longer"))
    }

    /// The day's report wins over a back-dated one written later; writing a file again replaces its record.
    @Test func theStorePicksTheDaysReportAndKeepsOneRecordPerFile() throws {
        let recorded = try Recorded()
        try recorded.record(asOf: Self.asOf, at: 0)
        try recorded.record("/shared/send/2023-12.html", asOf: Day(iso: "2023-12-31")!, at: 60)
        #expect(try recorded.latest?.path == recorded.reportPath)
        #expect(try recorded.store.latestReport(for: Day(iso: "2024-04-30")!)?.path == recorded.reportPath)
        #expect(try recorded.store.latestReport(for: Day(iso: "2023-12-31")!)?.path == "/shared/send/2023-12.html")
        try recorded.record(asOf: Day(iso: "2024-01-31")!, at: 120)
        let rows = try recorded.store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM reports") }
        #expect(rows == 2)
        let latest = try #require(try recorded.latest)
        #expect(latest.asOf == Day(iso: "2024-01-31")! && latest.format == "html")
        #expect(latest.writtenAt == Date(timeIntervalSince1970: 1_790_000_120))
    }

    /// A store written before reports were recorded is brought up to date when a run opens it, its rows kept.
    @Test func aStoreFromBeforeReportsGainsTheTableAndKeepsItsRuns() throws {
        let folder = TemporaryDirectory()
        let path = folder.path + "/state.sqlite"
        do {
            let queue = try DatabaseQueue(path: path)
            try StateSchema.migrator.migrate(queue, upTo: "v2")
            try queue.write { try $0.execute(sql: "PRAGMA application_id = \(StateIdentity.applicationID)") }
            try queue.write {
                try $0.execute(
                    sql: "INSERT INTO runs (as_of, started_at) VALUES ('2024-03-30', '2024-03-30T06:00:00Z')")
            }
        }
        // A dry run reads it brought up to date in memory and leaves the file as it was.
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let dryRun = try StateStore.openReadOnly(path: path)
        #expect(try dryRun.runCount() == 1)
        #expect(try dryRun.latestReport(for: Self.asOf) == nil)
        #expect(throws: Diagnostic.self) { try dryRun.recordReport(Self.report(at: path)) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let store = try StateStore.open(path: path)
        #expect(try store.runCount() == 1)
        #expect(try store.latestReport(for: Self.asOf) == nil)
        try store.recordReport(Self.report(at: path))
        #expect(try StateStore.openReadOnly(path: path).latestReport(for: Self.asOf)?.path == path)
    }

    /// A store a newer kpiwatch wrote is refused, saying so, by a dry run as by a real one.
    @Test func aStoreFromANewerVersionIsRefusedByADryRun() throws {
        let folder = TemporaryDirectory()
        let path = folder.path + "/state.sqlite"
        _ = try StateStore.open(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
        let error = #expect(throws: Diagnostic.self) { try StateStore.openReadOnly(path: path) }
        #expect(error?.message.contains("written by a newer version of kpiwatch") == true)
    }

    static func report(at path: String) -> RecordedReport {
        RecordedReport(path: path, format: "html", asOf: asOf, writtenAt: Date(timeIntervalSince1970: 1_790_000_000))
    }

    /// Alerts left out are sent to the report only when the line names one for the day.
    @Test func theLeftOutNoteSendsReadersToTheReportOnlyWhenThereIsOne() throws {
        let recorded = try Recorded()
        let many = (1...80).map {
            WebhookDigestTests.caseAlert("C\($0)", rule: "past_20_weeks", title: "Open past 20 weeks", team: "West")
        }
        func note(_ report: RecordedReport?) throws -> String {
            let body = try #require(
                try WebhookDigestTests().post(many, format: "slack", extra: "max_alerts: 10", report: report).first)
            return String(try #require(body.firstMatch(of: #/… and 70 more alerts not shown[^"]*/#)).0)
        }
        #expect(try note(nil) == "… and 70 more alerts not shown")
        try recorded.record(asOf: Self.asOf)
        #expect(try note(try recorded.latest) == "… and 70 more alerts not shown — see the full report")
    }

    /// The command can be pasted as it stands: a project file in a folder with a space or a quote in its name is one
    /// shell word, read back by a real shell; a plain path stays bare.
    @Test func theCommandNamesTheProjectFileAsOneShellWord() throws {
        for path in ["/srv/SEND team/it's kpiwatch.yaml", "/srv/send/kpiwatch.yaml", "a;b $(x) `y`.yaml"] {
            let pointer = ReportPointer(link: nil, recorded: nil, asOf: Self.asOf, projectFile: path)
            let word = ReportPointer.shellWord(path)
            #expect(
                pointer.text
                    == "No report written for 2024-03-31 — run kpiwatch report --config \(word) --as-of 2024-03-31")
            let echoed = try runProcess("/bin/sh", ["-c", "printf %s " + word])
            #expect(echoed.stdout == path)
        }
        #expect(ReportPointer.shellWord("/srv/send/kpiwatch.yaml") == "/srv/send/kpiwatch.yaml")
    }

    /// A path is the user's text: in Slack and Google Chat it can neither mention the channel nor open a tag.
    @Test(arguments: ["slack", "google_chat"])
    func aPathCannotCommandTheChannel(format: String) throws {
        let recorded = try Recorded()
        let hostile = recorded.folder.write("<!channel> <b>x</b>/report.html", "<html></html>")
        try recorded.record(hostile, asOf: Self.asOf)
        let raw = try #require(
            try WebhookDigestTests().post(WebhookDigestTests.notifications, format: format, report: try recorded.latest)
                .first)
        #expect(!raw.contains("<!channel>") && !raw.contains("<b>x</b>"), "\(raw)")
        #expect(raw.contains("&lt;!channel&gt; &lt;b&gt;x&lt;/b&gt;/report.html"), "\(raw)")
    }
}
