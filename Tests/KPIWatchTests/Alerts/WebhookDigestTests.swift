import Foundation
import Testing

@testable import KPIWatchAlerts
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The chat digest, read back from a real HTTP server on 127.0.0.1: the counts per rule and team, what changed since
/// the last run, the most urgent first, one line per case however many rules it breaks, and where the full report is.
@Suite("Webhook digest", .serialized)
struct WebhookDigestTests {
    static func caseAlert(
        _ key: String, rule: String, title: String, team: String, severity: AlertSeverity = .warning
    ) -> AlertNotice {
        AlertNotice(
            alert: Alert(
                kind: .caseAlert, rule: rule, title: title, severity: severity, key: key, labels: ["team": team],
                message: "Case \(key) (\(team)) \(title.lowercased())"),
            firstSeen: WebhookFixture.asOf)
    }

    /// EP advice overdue and outstanding at week 12 for the same case (B7): one line; a critical case (A1) first.
    static var notifications: [AlertNotice] {
        [
            caseAlert("B7", rule: "ep_advice_overdue", title: "EP advice overdue", team: "West"),
            caseAlert("B8", rule: "ep_advice_overdue", title: "EP advice overdue", team: "West"),
            caseAlert(
                "B7", rule: "ep_advice_outstanding_week_12", title: "EP advice outstanding at week 12", team: "West"),
            caseAlert("A1", rule: "past_52_weeks", title: "Open past 52 weeks", team: "North", severity: .critical),
            WebhookFixture.kpiAlert(team: "North", severity: .warning),
        ]
    }

    /// Posts through the pipeline's send stage, as a run does; returns each request's body as text.
    func post(
        _ notifications: [AlertNotice], format: String, extra: String = "",
        newSinceLastRun: Set<String>? = nil, reportLink: String? = nil, report: RecordedReport? = nil
    ) throws -> [String] {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        var sink = try WebhookFixture.sink(
            "type: webhook\nurl: \(server.url)\nallow_http: true\nformat: \(format)\n\(extra)")
        sink.reportLink = reportLink
        var context = WebhookFixture.context
        context.newSinceLastRun = newSinceLastRun
        context.report = report
        let report = WebhookFixture.deliver(notifications, through: sink, context: context)
        #expect(report.delivered.count == notifications.count)
        // Decoded back to plain text: Slack's and Chat's entities, Chat's zero-width breaks and card HTML.
        return server.requests.map {
            String(decoding: $0.body, as: UTF8.self).replacingOccurrences(of: "&amp;", with: "&")
                .replacingOccurrences(of: "\u{200B}", with: "").replacingOccurrences(of: "<b>", with: "")
                .replacingOccurrences(of: "</b>", with: "")
        }
    }

    @Test(arguments: ["slack", "teams", "google_chat"])
    func countsPerRuleAndTeamComeFirstThenOneLinePerCaseMostUrgentFirst(format: String) throws {
        let body = try #require(try post(Self.notifications, format: format).first)
        #expect(body.contains("By rule: Open past 52 weeks 1 · EP advice overdue 2 · "), "\(body)")
        #expect(body.contains("EP advice outstanding at week 12 1"))
        // Lines, not alerts, per team: B7 breaks two rules and counts once.
        #expect(body.contains("By team: North 2 · West 2"), "\(body)")
        // B7's second rule is named on its line, not given a line of its own.
        #expect(body.contains("Case B7 (West) ep advice overdue (also ep_advice_outstanding_week_12)"), "\(body)")
        #expect(body.components(separatedBy: "Case B7").count == 2, "\(body)")
        // Most urgent first: the critical case, then the warnings in the order they came.
        let a1 = try #require(body.range(of: "Case A1"))
        let b7 = try #require(body.range(of: "Case B7"))
        let kpi = try #require(body.range(of: "North: 52.5% of plans"))
        #expect(a1.lowerBound < b7.lowerBound && b7.lowerBound < kpi.lowerBound)
        // Without a report link or a recorded report, the digest says so and names the command that writes one.
        #expect(
            body.contains(
                "No report written for 2024-03-31 — run kpiwatch report --config kpiwatch.yaml --as-of 2024-03-31"))
        // Nothing is NEW when the run does not say what was new (a first run), and no change line.
        #expect(!body.contains("NEW") && !body.contains("Since the last run"))
    }

    @Test(arguments: ["slack", "teams", "google_chat"])
    func whatChangedSinceTheLastRunLeadsAndNewLinesComeFirst(format: String) throws {
        var notifications = Self.notifications
        notifications.append(WebhookFixture.resolved(team: "East"))
        let newB8 = notifications[1].alert.identity
        let body = try #require(
            try post(
                notifications, format: format, newSinceLastRun: [newB8],
                reportLink: "https://intranet.example/send/report.html"
            ).first)
        #expect(body.contains("Since the last run: 1 new, 1 resolved"), "\(body)")
        #expect(body.contains("WARNING NEW"), "\(body)")
        #expect(body.components(separatedBy: "NEW").count == 2, "only B8: \(body)")
        // Among the warnings, the new case comes first.
        let b8 = try #require(body.range(of: "Case B8"))
        let b7 = try #require(body.range(of: "Case B7"))
        #expect(b8.lowerBound < b7.lowerBound)
        #expect(body.contains("Full report: https://intranet.example/send/report.html"))
    }

    /// The issue's case: Slack showed 23 of 260 alerts, chosen by order. Now every rule and team is counted in the
    /// message whatever fits below, and what does not fit is counted by alerts.
    @Test func aLargeRunStillCountsEveryRuleAndTeamAndSaysWhatIsLeftOut() throws {
        var notifications: [AlertNotice] = []
        for index in 1...120 {
            let team = ["North", "South", "East", "West"][index % 4]
            notifications.append(
                Self.caseAlert(
                    "C\(index)", rule: "past_20_weeks", title: "Open past 20 weeks", team: team,
                    severity: index <= 5 ? .critical : .warning))
            if index % 3 == 0 {
                notifications.append(
                    Self.caseAlert("C\(index)", rule: "no_draft_week_16", title: "No draft at week 16", team: team))
            }
        }
        let body = try #require(try post(notifications, format: "slack").first)
        #expect(body.contains("By rule: Open past 20 weeks 120 · No draft at week 16 40"), "\(body)")
        #expect(body.contains("By team: East 30 · North 30 · South 30 · West 30"), "\(body)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let blocks = try #require(root["blocks"] as? [[String: Any]])
        #expect(blocks.count <= 50)
        let lines = body.components(separatedBy: "Case C").count - 1
        let note = try #require(body.range(of: #"… and (\d+) more alerts not shown"#, options: .regularExpression))
        let leftOut = Int(body[note].split(separator: " ")[2])!
        // Lines shown stand for one alert each, or two where the case also has no draft.
        let shownAlerts = notifications.count - leftOut
        #expect(lines > 30 && shownAlerts >= lines && shownAlerts <= 2 * lines)
        // The five critical cases lead.
        for index in 1...5 { #expect(body.contains("Case C\(index) (")) }
    }

    /// A copy of the demo whose only sink is a Teams webhook at `${env:KPIWATCH_TEST_WEBHOOK}`; `extra` is written
    /// into the project file before `sinks:`.
    static func demoSendingToTeams(extra: String = "") throws -> TemporaryDirectory {
        let folder = try DemoOutputTests.demoCopy()
        var config = try String(contentsOfFile: folder.path + "/kpiwatch.yaml", encoding: .utf8)
        config = String(config[..<config.range(of: "sinks:")!.lowerBound])
        config +=
            extra + """
                sinks:
                  - type: webhook
                    name: send-team
                    format: teams
                    url: ${env:KPIWATCH_TEST_WEBHOOK}
                    allow_http: true
                    max_attempts: 1

                """
        folder.write("kpiwatch.yaml", config)
        return folder
    }

    /// Through the built executable on the demo: one Teams message for the whole run, one line per case, the report
    /// link from the project file, and no child's name.
    @Test func theDemosDigestPointsToTheReportAndNamesEachCaseOnce() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let folder = try Self.demoSendingToTeams(
            extra: "report: { link: \"https://intranet.example/send/report.html\" }\n")
        let result = try runKPIWatch(
            ["check", "--config", folder.path + "/kpiwatch.yaml"],
            environment: ["KPIWATCH_TEST_WEBHOOK": server.url.absoluteString, "NO_COLOR": "1"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(server.requests.count == 1)
        let body = String(decoding: try #require(server.requests.first).body, as: UTF8.self)
        #expect(body.utf8.count <= 24_000)
        #expect(body.contains("Full report: https://intranet.example/send/report.html"))
        #expect(body.contains("By rule: ") && body.contains("By team: "))
        // The digest's lines: the blocks that open with a coloured badge, as (badge, text).
        let root = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let card = try #require((root["attachments"] as? [[String: Any]])?.first?["content"] as? [String: Any])
        let runs = try #require(card["body"] as? [[String: Any]]).compactMap { $0["inlines"] as? [[String: Any]] }
        let lines = runs.filter { $0.first?["color"] != nil }.map {
            (badge: $0.first?["text"] as? String ?? "", text: $0.last?["text"] as? String ?? "")
        }
        // Nothing is dropped in silence: the alerts on the lines (a case's other rules named on its line) and those
        // counted as left out make the summary's total.
        let summary = try #require(body.firstMatch(of: #/(\d+) critical, (\d+) warning · as of/#))
        let critical = Int(summary.1)!
        let total = critical + Int(summary.2)!
        let alsoRules = lines.compactMap { $0.text.firstMatch(of: #/\(also ([^)]*)\)$/#) }
            .reduce(0) { $0 + $1.1.split(separator: ",").count }
        let leftOut = try #require(body.firstMatch(of: #/… and (\d+) more alerts not shown — see the full report/#))
        #expect(lines.count + alsoRules + Int(leftOut.1)! == total)
        // Far more than the 41 alerts the old message showed, each case on one line.
        #expect(lines.count > 41)
        let keys = lines.compactMap { $0.text.firstMatch(of: #/^Case (EHC-\d+) /#).map { String($0.1) } }
        #expect(Set(keys).count == keys.count, "a case on two lines")
        // The most urgent first: every critical alert of the run, before any warning (none new on a first run).
        #expect(lines.prefix(critical).allSatisfy { $0.badge == "CRITICAL" }, "\(lines.prefix(critical))")
        #expect(lines.dropFirst(critical).allSatisfy { $0.badge == "WARNING" })
        #expect(lines.prefix(critical).contains { $0.text.hasPrefix("Case EHC-") })
        let personal = try String(contentsOfFile: folder.path + "/data/assessments.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().prefix(300).flatMap { row in
                row.split(separator: ",", omittingEmptySubsequences: false).dropFirst(2).prefix(2).map(String.init)
            }
        for text in personal where text.count > 3 { #expect(!body.contains(text), "\(text)") }
    }
}
