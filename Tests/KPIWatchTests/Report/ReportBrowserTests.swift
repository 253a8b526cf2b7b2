import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchReport

/// The demo report as a person sees it: `kpiwatch report` writes it, headless Chromium (Debian's `chromium`, which
/// .ci/run installs) prints it to PDF and takes a picture of its first screen, with every network request sent to a
/// closed loopback port and recorded in Chromium's own network log.
@Suite(.serialized) struct ReportBrowserTests {
    static let chromium: String? = {
        if let given = ProcessInfo.processInfo.environment["KPIWATCH_CHROMIUM"] { return given }
        return ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(which).first
    }()

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// No background service of the browser's own; every request the page makes goes to a closed port on loopback.
    static let isolation = [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--disable-sync",
        "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
        "--disable-domain-reliability", "--disable-client-side-phishing-detection",
        "--disable-features=Translate,OptimizationHints,MediaRouter,SpellCheck", "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]

    /// Network traffic annotations of the browser's own services (component updater, update client, account
    /// check), which Debian's build starts whatever the page: not requests of the page.
    static let browserOwnAnnotations: Set<Int> = [46_188_932, 54_845_618, 35_565_745]

    func runChromium(_ arguments: [String], page: String, in folder: TemporaryDirectory) throws -> CommandResult {
        try runProcess(
            "/usr/bin/timeout",
            ["120", Self.chromium!] + Self.isolation + ["--user-data-dir=\(folder.path)/profile"] + arguments
                + [URL(fileURLWithPath: page).absoluteString])
    }

    /// The http(s) and other non-file URLs the page asked for, from Chromium's network log.
    func pageRequests(netLog: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: netLog))
        let log = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(log["events"] as? [[String: Any]])
        var urls: [String] = []
        for event in events {
            guard let params = event["params"] as? [String: Any], let url = params["url"] as? String else { continue }
            if url.hasPrefix("file:") || url.hasPrefix("data:") || url.isEmpty { continue }
            if let annotation = params["traffic_annotation"] as? Int, Self.browserOwnAnnotations.contains(annotation) {
                continue
            }
            if params["traffic_annotation"] == nil && params["initiator"] as? String == "not an origin" { continue }
            if params["traffic_annotation"] == nil && !(params["initiator"] is String) { continue }
            urls.append(url)
        }
        return Array(Set(urls)).sorted()
    }

    @Test(
        .enabled(
            if: chromium != nil,
            "headless Chromium was not found (Debian: apt-get install chromium; .ci/run installs it): the demo report is not rendered"
        ))
    func theDemoReportRendersToA4PagesAndAPictureWithNoNetworkRequest() throws {
        // A copy of the demo: `report` records what it wrote in the project's state store, which is not the
        // repository's to keep.
        let folder = try DemoOutputTests.demoCopy()
        let html = folder.path + "/report.html"
        let run = try runKPIWatch(
            ["report", "--config", folder.path + "/kpiwatch.yaml", "--output", html], directory: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("wrote \(html) as of 2026-10-31"))
        // The workload projection is drawn inline like the other charts: a chart per measure, each with its band.
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let forecast = try #require(
            ReportChartTests.matches(page, #"(?s)(<section class="forecast" id="forecast-time_to_plan">.*?</section>)"#)
                .first)
        #expect(ReportChartTests.matches(forecast, #"(<polygon class="band")"#).count == WorkloadMeasure.allCases.count)
        #expect(ReportChartTests.matches(forecast, #"(<polyline class="scenario )"#).count == 2 * 4)
        #expect(ReportFixture.clippedTexts(in: forecast) == [])

        let pdf = folder.path + "/report.pdf"
        let netLog = folder.path + "/net.json"
        let printed = try runChromium(
            ["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "--log-net-log=\(netLog)"], page: html, in: folder)
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(try pageRequests(netLog: netLog) == [])

        // A4 pages, a section per page break at least, and not a page per line of text.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        let text = String(decoding: bytes, as: UTF8.self)
        let pages = ReportChartTests.matches(text, #"(/Type\s*/Page)(?!s)"#).count
        let engine = Engine.standard()
        let project = try engine.load(configPath: ReportFixture.demo, includingSinks: false)
        let evaluation = try engine.evaluate(project, asOf: Day(iso: "2026-10-31")!)
        let areas = ReportBuilder(evaluation: evaluation, project: project, format: .html).areas().count
        let kpis = Set(evaluation.results.map(\.id)).count
        #expect(pages >= areas + 4 && pages <= kpis, "\(pages) pages for \(areas) areas and \(kpis) KPIs")
        for box in ReportChartTests.matches(text, #"/MediaBox\s*\[([^\]]*)\]"#) {
            let size = box.split(separator: " ").compactMap { Double($0) }
            #expect(size.count == 4 && abs(size[2] - 595) < 1 && abs(size[3] - 842) < 1, "not A4: \(box)")
        }
        try checkPrintedText(pdf: pdf, evaluation: evaluation, folder: folder)

        let png = folder.path + "/first.png"
        let shot = try runChromium(["--window-size=794,1123", "--screenshot=\(png)"], page: html, in: folder)
        #expect(shot.status == 0, "\(shot.stderr)")
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(image.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let width = image[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 794)
    }

    /// Every KPI's title and the sections are on the printed pages, and no word runs off a page (pdftotext, from
    /// Debian's poppler-utils, which .ci/run installs; without it this part is skipped, saying so).
    func checkPrintedText(pdf: String, evaluation: Evaluation, folder: TemporaryDirectory) throws {
        guard let pdftotext = Self.which("pdftotext") else {
            print("pdftotext not found (Debian: poppler-utils): the printed text of the report is not checked")
            return
        }
        let boxes = try runProcess(pdftotext, ["-bbox", pdf, "-"])
        #expect(boxes.status == 0)
        var pageWidth = 0.0
        var pageHeight = 0.0
        var words: [String] = []
        for line in boxes.stdout.split(separator: "\n") {
            if line.contains("<page ") {
                pageWidth = Double(ReportChartTests.matches(String(line), #"width="([^"]*)""#).first!)!
                pageHeight = Double(ReportChartTests.matches(String(line), #"height="([^"]*)""#).first!)!
            }
            guard line.contains("<word ") else { continue }
            let value = { (name: String) in
                Double(ReportChartTests.matches(String(line), name + #"="([^"]*)""#).first!)!
            }
            let word = ReportFixture.unescape(ReportChartTests.matches(String(line), #">([^<]*)</word>"#).first ?? "")
            #expect(
                value("xMin") >= 0 && value("xMax") <= pageWidth && value("yMin") >= 0 && value("yMax") <= pageHeight,
                "'\(word)' runs off the page")
            words.append(word)
        }
        let printed = " " + words.joined(separator: " ") + " "
        for title in Set(evaluation.results.map(\.title)) {
            let expected = title.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(printed.contains(" \(expected) "), "'\(title)' is not on the printed pages")
        }
        for heading in [
            "Benchmark comparison", "Cases at risk", "Data quality", "Statistical neighbours", "2027-03-31",
            "Forecast: Time from request to final EHC plan", "two_more_officers", "90% interval 20 to 26",
        ] {
            #expect(printed.contains(heading))
        }
    }

    /// The network check sees a request when a page makes one: without this, an empty list would prove nothing.
    @Test(.enabled(if: chromium != nil, "headless Chromium was not found (Debian: apt-get install chromium)"))
    func theNetworkLogShowsARequestThePageMakes() throws {
        let folder = TemporaryDirectory()
        let page = folder.write(
            "page.html", "<html><body><img src=\"http://example.invalid/logo.png\"><p>x</p></body></html>")
        let netLog = folder.path + "/net.json"
        let run = try runChromium(
            ["--log-net-log=\(netLog)", "--screenshot=\(folder.path)/shot.png"], page: page, in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try pageRequests(netLog: netLog) == ["http://example.invalid/logo.png"])
    }
}
