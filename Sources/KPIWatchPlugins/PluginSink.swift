import Foundation
import KPIWatchCore
import KPIWatchEngine
import KPIWatchSources

/// `type: plugin:NAME`: a program that delivers alerts (plugins/README.md).
///
/// Its standard input is one JSON object of the sink's options (plus `"run"`: as-of date, project
/// file, dry run), then one JSON line per notification with its `"id"`. It answers on standard
/// output with one line per notification, `{"id": …, "ok": true}` or `{"id": …, "ok": false,
/// "error": "…"}`. A notification it gives no answer for has failed, and waits for the next run.
public struct PluginSink: Sink {
    public let process: PluginProcess
    /// The sink's options, as the first line of standard input.
    public let options: [(String, JSONValue)]
    public var name: String { "plugin '\(process.manifest.name)'" }

    public init(process: PluginProcess, options: [(String, JSONValue)]) {
        self.process = process
        self.options = options
    }

    public static let factory: SinkFactory = { config, project in
        let name = String(config.type.dropFirst("plugin:".count))
        let manifest = try PluginDirectory(project: project).plugin(named: name, as: .sink, at: config.location)
        let undocumented = PluginOptions.undocumentedKeys(
            config.node.node, manifest: manifest, common: ["type", "match"], file: config.node.file)
        if !undocumented.isEmpty { throw Diagnostics(undocumented) }
        return PluginSink(
            process: PluginProcess(manifest: manifest, workingDirectory: project.directory),
            options: PluginOptions.object(config.node.node, excluding: ["type", "match"]))
    }

    public func send(_ notifications: [AlertNotice], context: RunContext) -> DeliveryReport {
        guard !notifications.isEmpty else { return DeliveryReport() }
        let run = JSONValue.object([
            ("as_of", .string(context.asOf.iso)), ("project", .string(context.projectFile)),
            ("dry_run", .bool(context.dryRun)),
        ])
        var input = JSONValue.object(options + [("run", run)]).serialized + "\n"
        for notification in notifications {
            guard case .object(let pairs) = JSONLines.notification(notification) else { continue }
            input += JSONValue.object([("id", .string(notification.deliveryID))] + pairs).serialized + "\n"
        }
        let expected = Set(notifications.map(\.deliveryID))
        var report = DeliveryReport()
        var problems: [String] = []
        do {
            _ = try process.run(input: Data(input.utf8)) { number, line in
                switch answer(line, number: number, expected: expected) {
                case .delivered(let id): report.delivered.insert(id)
                case .failed(let id, let reason): report.failures[id] = "\(name): \(reason)"
                case .malformed(let problem): problems.append(problem)
                }
                return true
            }
        } catch {
            problems.append((error as? Diagnostic)?.message ?? "\(error)")
        }
        let why = problems.first.map { "\($0)" } ?? "\(name) gave no answer for this alert"
        for id in expected where !report.delivered.contains(id) && report.failures[id] == nil {
            report.failures[id] = why
        }
        return report
    }

    package enum Answer {
        case delivered(String)
        case failed(String, String)
        case malformed(String)
    }

    /// Internal rather than private: the fuzz target (fuzz/) feeds it hostile lines.
    package func answer(_ line: Data, number: Int, expected: Set<String>) -> Answer {
        let plugin = process.manifest.name
        guard case .value(let value) = JSONRecord.parse(line), let object = value as? [String: Any] else {
            return .malformed("plugin '\(plugin)' wrote line \(number) that is not a JSON object")
        }
        guard let id = object["id"] as? String, expected.contains(id) else {
            return .malformed("plugin '\(plugin)' answered on line \(number) for an id it was not sent")
        }
        guard let ok = object["ok"] as? NSNumber, case .success(.bool(let delivered)) = JSONRecord.cell(ok, path: "ok")
        else {
            return .malformed("plugin '\(plugin)' wrote line \(number) without \"ok\": true or false")
        }
        if delivered { return .delivered(id) }
        return .failed(id, (object["error"] as? String) ?? "failed without saying why")
    }
}
