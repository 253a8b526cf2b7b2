import Foundation
import KPIWatchCore
import KPIWatchEngine

/// Writes the report: HTML as one self-contained file; Markdown with its charts as SVG files in a folder beside it
/// (`NAME-charts/`), each carrying its own style so that it reads the same opened alone.
public enum ReportWriter {
    /// The files written, the report first.
    @discardableResult
    public static func write(
        _ evaluation: Evaluation, project: LoadedProject, format: ReportFormat, to output: String,
        templates: ReportTemplates, engine: Engine? = nil
    ) throws -> [String] {
        let name = ((output as NSString).lastPathComponent as NSString).deletingPathExtension
        let chartFolder = name + "-charts"
        let content = try ReportBuilder(
            evaluation: evaluation, project: project, format: format, chartFolder: chartFolder, engine: engine
        ).build()
        let text = try templates.render(content, format: format)
        let folder = (output as NSString).deletingLastPathComponent
        var written: [String] = []
        if format == .md {
            let chartStyle = templates.library.render(content, withTemplate: "chart-style") ?? ""
            let charts = folder.isEmpty ? chartFolder : (folder as NSString).appendingPathComponent(chartFolder)
            try FileManager.default.createDirectory(atPath: charts, withIntermediateDirectories: true)
            for chart in Self.charts(of: content) {
                let path = folder.isEmpty ? chart.file : (folder as NSString).appendingPathComponent(chart.file)
                try write(standalone(chart.svg, style: chartStyle), to: path)
                written.append(path)
            }
        } else if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try write(text, to: output)
        return [output] + written
    }

    /// Every chart of the report, in reading order.
    public static func charts(of content: ReportContent) -> [ReportChart] {
        var charts: [ReportChart] = []
        for area in content.areas {
            for kpi in area.kpis { charts += [kpi.chart] + (kpi.groupChart.map { [$0] } ?? []) }
        }
        charts += content.benchmarks.map(\.chart)
        if let teams = content.cases.teamChart { charts.append(teams) }
        charts += content.forecasts.flatMap(\.charts)
        return charts
    }

    /// An inline chart as a file of its own: the SVG namespace, which inline SVG in HTML needs none of, and the style.
    package static func standalone(_ svg: String, style: String) -> String {
        guard let end = svg.range(of: ">") else { return svg }
        let open = svg[..<end.lowerBound].replacingOccurrences(
            of: "<svg ", with: "<svg xmlns=\"http://www.w3.org/2000/svg\" ")
        return open + "><style><![CDATA[" + style + "]]></style>" + svg[end.upperBound...] + "\n"
    }

    private static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw Diagnostic(
                "cannot write the report to \(path): \(error.localizedDescription)",
                hint: "check that the folder exists and can be written")
        }
    }
}
