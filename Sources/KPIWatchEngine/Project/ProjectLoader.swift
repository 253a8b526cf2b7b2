import Foundation
import KPIWatchCore
import Yams

/// Loads `kpiwatch.yaml` (RULES.md §1) and reports every mistake in it at once, each at its line and column.
public enum ProjectLoader {
    package static let projectKeys = [
        "version", "timezone", "year_start", "rules", "benchmarks", "state", "as_of", "datasets", "sinks", "plugins",
        "report",
    ]
    /// Checks each dataset's and sink's keys against the descriptor its type registered in `sources` and `sinks`.
    /// `expandingSinks: false` leaves the `${…}` references under `sinks:` as written, for runs that make no sink
    /// (`report`, `explain`, `forecast`, `test`): a webhook secret that only the scheduled check's environment holds
    /// must not stop them.
    /// - Throws: `Diagnostics` with every error found.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment, sources: SourceRegistry,
        sinks: SinkRegistry, expandingSinks: Bool = true
    ) throws -> ProjectConfig {
        let document: YAMLDocument
        do {
            document = try YAMLDocument.read(path: path, what: "project file")
        } catch {
            throw Diagnostics([error])
        }
        let folder = (path as NSString).deletingLastPathComponent
        var config = ProjectConfig(file: path, directory: folder.isEmpty ? "." : folder)
        var diagnostics = DiagnosticCollector()
        guard let written = document.root else {
            throw Diagnostics([
                Diagnostic(
                    "the project file is empty", at: document.location(line: 1, column: 1),
                    hint: "start it with 'version: 1' and a 'datasets:' mapping")
            ])
        }
        let root = Interpolation.expand(
            written, in: document, environment: environment, directory: config.directory,
            skippingTopLevel: expandingSinks ? [] : ["sinks"], &diagnostics)
        // A value whose reference failed is kept as written; its other errors would only repeat the failure.
        let expansionErrors = diagnostics.items.count
        let unexpanded = Set(diagnostics.items.compactMap(\.location))
        guard let project = YAMLMapping(root, in: document, subject: "the project file", &diagnostics) else {
            throw Diagnostics(diagnostics.items)
        }
        project.checkKeys(projectKeys, &diagnostics)
        readSettings(project, into: &config, &diagnostics)
        config.ruleFiles = expandPaths(project, key: "rules", config: config, &diagnostics)
        config.benchmarkFiles = expandPaths(project, key: "benchmarks", config: config, &diagnostics)
        // A folder that does not exist holds no plugins; `kpiwatch plugins` and an unknown `plugin:NAME` say so.
        if let plugins = project.value("plugins") {
            config.pluginFolders = project.scalarList(plugins, key: "plugins", &diagnostics).map(\.string)
        }
        if let datasets = project.mapping("datasets", subject: "'datasets'", &diagnostics) {
            config.datasets = datasets.entries.compactMap { entry in
                DatasetLoader.dataset(
                    named: entry.key, entry.value, at: document.location(of: entry.keyNode), in: document,
                    sources: sources, &diagnostics)
            }
        }
        config.sinks = project.list("sinks", &diagnostics).compactMap {
            sink($0, in: document, sinks: sinks, &diagnostics)
        }
        config.report = ReportSettings.read(project, config: config, &diagnostics)
        let items = diagnostics.items.enumerated().filter { index, item in
            index < expansionErrors || item.location.map { !unexpanded.contains($0) } ?? true
        }
        if !items.isEmpty { throw Diagnostics(inReadingOrder(items.map(\.element))) }
        return config
    }

    private static func readSettings(
        _ project: YAMLMapping, into config: inout ProjectConfig, _ diagnostics: inout DiagnosticCollector
    ) {
        if let version = project.value("version") {
            if version.scalar?.string == "1" {
                config.version = 1
            } else {
                diagnostics.add(
                    Diagnostic(
                        "'version' must be 1; got \(describe(version))", at: project.document.location(of: version),
                        hint: "this kpiwatch reads version 1 project files"))
            }
        }
        if let timezone = project.string("timezone", &diagnostics) {
            if TimeZone(identifier: timezone) != nil {
                config.timezone = timezone
            } else {
                diagnostics.add(
                    Diagnostic(
                        "unknown time zone '\(timezone)'", at: project.valueLocation("timezone"),
                        hint: nearestName(to: timezone, in: TimeZone.knownTimeZoneIdentifiers).map {
                            "did you mean '\($0)'?"
                        } ?? "use an IANA name such as Europe/London"))
            }
        }
        if let text = project.string("year_start", &diagnostics) {
            if let yearStart = yearStart(text) {
                config.yearStart = yearStart
            } else {
                diagnostics.add(
                    Diagnostic(
                        "'year_start' must be a month and day written \"MM-DD\"; got '\(text)'",
                        at: project.valueLocation("year_start"),
                        hint: "for example \"09-01\" for an academic year, \"04-01\" for a financial year"))
            }
        }
        if let state = project.string("state", &diagnostics) {
            config.statePath = state
            config.stateLocation = project.valueLocation("state")
        }
        config.statePath = config.resolve(config.statePath)
        if let text = project.string("as_of", &diagnostics) {
            if let day = Day(iso: text) {
                config.asOf = day
            } else {
                diagnostics.add(
                    Diagnostic(
                        "'as_of' must be a date written yyyy-MM-dd; got '\(text)'",
                        at: project.valueLocation("as_of"), hint: "for example as_of: 2023-03-31"))
            }
        }
    }

    /// "09-01" → 1 September. February 29 is refused: a year must start on a day every year has.
    package static func yearStart(_ text: String) -> YearStart? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) }),
            let month = Int(parts[0]), let day = Int(parts[1]), Day(year: 2001, month: month, day: day) != nil
        else {
            return nil
        }
        return YearStart(month: month, day: day)
    }

    /// `rules:`/`benchmarks:` as files: a folder stands for its `.yaml`/`.yml` files, recursively, in sorted order;
    /// a file named twice is read once.
    package static func expandPaths(
        _ project: YAMLMapping, key: String, config: ProjectConfig, _ diagnostics: inout DiagnosticCollector
    ) -> [String] {
        guard let node = project.value(key) else { return [] }
        var files: [String] = []
        for scalar in project.scalarList(node, key: key, &diagnostics) {
            let location = project.document.location(of: .scalar(scalar))
            let written = scalar.string
            let path = config.resolve(written)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.add(
                    Diagnostic(
                        "'\(written)' in '\(key)' does not exist", at: location,
                        hint: missingPathHint(written, resolved: path, config: config)))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let found = yamlFiles(in: path)
            if found.isEmpty {
                diagnostics.add(
                    Diagnostic(
                        "folder '\(written)' in '\(key)' holds no .yaml or .yml files", at: location,
                        hint: "add rule files to it, or name the files themselves"))
            }
            files.append(contentsOf: found)
        }
        var seen = Set<String>()
        return files.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// The `.yaml`/`.yml` files under `folder`, sorted by their path inside it; hidden files and folders (editor
    /// backups, `.git`) are left out, and so are `tests` folders: a pack's rule tests (`kpiwatch test`) sit beside
    /// its rules and are not rules.
    package static func yamlFiles(in folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var relative: [String] = []
        while let item = enumerator.nextObject() as? String {
            let name = (item as NSString).lastPathComponent
            if name.hasPrefix(".") || (name == "tests" && Self.isFolder(folder, item)) {
                enumerator.skipDescendants()
                continue
            }
            let ext = (name as NSString).pathExtension.lowercased()
            guard ext == "yaml" || ext == "yml" else { continue }
            var isDirectory: ObjCBool = false
            let full = (folder as NSString).appendingPathComponent(item)
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                relative.append(item)
            }
        }
        return relative.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    private static func isFolder(_ folder: String, _ item: String) -> Bool {
        var isDirectory: ObjCBool = false
        let full = (folder as NSString).appendingPathComponent(item)
        return FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func missingPathHint(_ written: String, resolved: String, config: ProjectConfig) -> String {
        let parent = (resolved as NSString).deletingLastPathComponent
        let name = (resolved as NSString).lastPathComponent
        let siblings = (try? FileManager.default.contentsOfDirectory(atPath: parent.isEmpty ? "." : parent)) ?? []
        if let near = nearestName(to: name, in: siblings.filter { !$0.hasPrefix(".") }) {
            let writtenParent = (written as NSString).deletingLastPathComponent
            return "did you mean '\((writtenParent as NSString).appendingPathComponent(near))'?"
        }
        return "paths are relative to the project file's folder; looked for \(resolved)"
    }

    /// One entry of `sinks:`: its `type`, and its keys against the keys the type's descriptor reads beside the keys
    /// of every sink's policy. The sink's factory reads their values when the sinks are made.
    private static func sink(
        _ node: Node, in document: YAMLDocument, sinks: SinkRegistry, _ diagnostics: inout DiagnosticCollector
    ) -> SinkConfig? {
        guard var sink = YAMLMapping(node, in: document, subject: "a sink", &diagnostics) else { return nil }
        guard let type = sink.string("type", &diagnostics) else {
            if sink.value("type") == nil {
                sink.missing("type", hint: "valid types: \(sinks.types.joined(separator: ", "))", &diagnostics)
            }
            return nil
        }
        guard let descriptor = sinks.descriptor(for: type) else {
            diagnostics.add(
                Diagnostic(
                    "unknown sink type '\(type)'", at: sink.valueLocation("type"), hint: unknownSinkHint(type, sinks)))
            return nil
        }
        sink.subject = "a \(type) sink"
        let otherKeys = Set(sinks.descriptors.flatMap { $0.descriptor.keys.map(\.name) }).sorted()
        let check = AdapterKeyCheck(
            type: type, noun: "sink", common: SinkPolicy.sharedKeys, keys: descriptor.keys,
            otherTypesKeys: otherKeys, factoryChecksOtherKeys: descriptor.factoryChecksOtherKeys)
        check.check(sink, &diagnostics)
        return SinkConfig(type: type, node: ConfigNode(node: node, file: document.file), location: sink.location)
    }

    /// A value of one sink type's choice key (`slack` for a webhook's `format`) points to that type and key.
    private static func unknownSinkHint(_ type: String, _ sinks: SinkRegistry) -> String {
        for (listedAs, descriptor) in sinks.descriptors {
            for key in descriptor.keys {
                if case .oneOf(let values) = key.type, values.contains(type) {
                    return "'\(type)' is a \(key.name) of the \(listedAs) sink: write 'type: \(listedAs)' with "
                        + "'\(key.name): \(type)'"
                }
            }
        }
        return suggestion(for: type, in: sinks.types, noun: "types")
    }
}
