import Foundation
import KPIWatchCore
import KPIWatchEngine
import Yams

/// `plugins/NAME/plugin.yaml`: what a plugin is, how to start it and what it may see.
public struct PluginManifest: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case source, sink
    }

    /// One key a plugin reads from its dataset or sink entry, as its manifest documents it.
    public struct Option: Sendable, Hashable {
        public var name: String
        public var description: String
        public var required: Bool
    }

    public static let fileName = "plugin.yaml"
    package static let keys = [
        "name", "kind", "command", "description", "timeout", "max_output_bytes", "env", "options",
    ]
    package static let optionKeys = ["description", "required"]
    public static let defaultTimeout: Double = 60
    public static let defaultMaxOutputBytes = 256 * 1024 * 1024

    public var name: String
    public var kind: Kind
    /// argv: the program and its arguments; never a shell command line.
    public var command: [String]
    public var description: String
    /// Seconds before the plugin is stopped.
    public var timeout: Double
    /// Bytes of standard output after which the plugin is stopped.
    public var maxOutputBytes: Int
    /// Variables passed through from kpiwatch's environment, beside PATH, HOME and LANG.
    public var environment: [String]
    /// The keys the plugin reads, in the order written; empty when the manifest documents none.
    public var options: [Option]
    /// The plugin's folder.
    public var folder: String
    /// Path of the manifest, for messages.
    public var file: String

    public init(
        name: String, kind: Kind, command: [String], description: String = "",
        timeout: Double = PluginManifest.defaultTimeout, maxOutputBytes: Int = PluginManifest.defaultMaxOutputBytes,
        environment: [String] = [], options: [Option] = [], folder: String, file: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.command = command
        self.description = description
        self.timeout = timeout
        self.maxOutputBytes = maxOutputBytes
        self.environment = environment
        self.options = options
        self.folder = folder
        self.file = file ?? (folder as NSString).appendingPathComponent(Self.fileName)
    }

    /// Reads `folder/plugin.yaml`; throws `Diagnostics` with every mistake in it, each at its line and column.
    public static func load(folder: String) throws -> PluginManifest {
        let file = (folder as NSString).appendingPathComponent(fileName)
        let document: YAMLDocument
        do {
            document = try YAMLDocument.read(path: file, what: "plugin manifest")
        } catch {
            throw Diagnostics([error])
        }
        var diagnostics = DiagnosticCollector()
        let folderName = (folder as NSString).lastPathComponent
        guard let root = document.root else {
            throw Diagnostics([
                Diagnostic(
                    "the plugin manifest is empty", at: document.location(line: 1, column: 1),
                    hint: "write name, kind (source or sink) and command, e.g. command: [python3, main.py]")
            ])
        }
        guard let manifest = YAMLMapping(root, in: document, subject: "the plugin manifest", &diagnostics) else {
            throw Diagnostics(diagnostics.items)
        }
        manifest.checkKeys(keys, &diagnostics)
        let name = manifest.string("name", &diagnostics) ?? folderName
        if name != folderName {
            diagnostics.add(
                Diagnostic(
                    "plugin name '\(name)' differs from its folder '\(folderName)'", at: manifest.valueLocation("name"),
                    hint:
                        "datasets name a plugin as plugin:FOLDER; name the plugin '\(folderName)' or rename the folder")
            )
        }
        let kind: Kind? = manifest.choice("kind", &diagnostics)
        if manifest.value("kind") == nil { manifest.missing("kind", hint: "kind: source or kind: sink", &diagnostics) }
        let command = self.command(manifest, &diagnostics)
        var timeout = defaultTimeout
        if let text = manifest.string("timeout", &diagnostics) {
            if let seconds = Double(text).flatMap({ $0 > 0 ? $0 : nil }) ?? DurationParser.seconds(text) {
                timeout = seconds
            } else {
                diagnostics.add(
                    Diagnostic(
                        "'timeout' must be a duration such as 30s, 5m or 1h; got '\(text)'",
                        at: manifest.valueLocation("timeout"),
                        hint: "a number of seconds, or a number followed by s, m or h"))
            }
        }
        let maxOutput = manifest.int("max_output_bytes", atLeast: 1, &diagnostics) ?? defaultMaxOutputBytes
        let environment = manifest.value("env").map { manifest.scalarList($0, key: "env", &diagnostics).map(\.string) }
        let options = self.options(manifest, &diagnostics)
        try diagnostics.throwIfAny()
        return PluginManifest(
            name: name, kind: kind!, command: command, description: manifest.string("description", &diagnostics) ?? "",
            timeout: timeout, maxOutputBytes: maxOutput, environment: environment ?? [], options: options,
            folder: folder, file: file)
    }

    private static func command(_ manifest: YAMLMapping, _ diagnostics: inout DiagnosticCollector) -> [String] {
        guard let node = manifest.value("command") else {
            manifest.missing(
                "command", hint: "the program and its arguments, e.g. command: [python3, main.py]", &diagnostics)
            return []
        }
        if case .scalar(let scalar) = node, scalar.string.contains(" ") {
            let words = scalar.string.split(separator: " ").map { "\"\($0)\"" }.joined(separator: ", ")
            diagnostics.add(
                Diagnostic(
                    "'command' must be a list of words, since no shell splits it",
                    at: manifest.document.location(of: node),
                    hint: "write command: [\(words)]"))
            return []
        }
        let argv = manifest.scalarList(node, key: "command", &diagnostics).map(\.string)
        if argv.isEmpty || argv[0].isEmpty {
            diagnostics.add(
                Diagnostic(
                    "'command' names no program", at: manifest.document.location(of: node),
                    hint: "e.g. command: [python3, main.py]"))
        }
        return argv
    }

    /// `options:` maps each key to its description, or to `{description, required}`.
    private static func options(_ manifest: YAMLMapping, _ diagnostics: inout DiagnosticCollector) -> [Option] {
        guard let options = manifest.mapping("options", subject: "'options'", &diagnostics) else { return [] }
        return options.entries.compactMap { entry in
            if case .scalar(let scalar) = entry.value {
                return Option(name: entry.key, description: scalar.string, required: false)
            }
            guard
                let option = YAMLMapping(
                    entry.value, in: manifest.document, subject: "option '\(entry.key)'", &diagnostics)
            else { return nil }
            option.checkKeys(optionKeys, &diagnostics)
            return Option(
                name: entry.key, description: option.string("description", &diagnostics) ?? "",
                required: option.bool("required", &diagnostics) ?? false)
        }
    }
}

extension PluginManifest.Kind {
    package static var allCasesDescription: String { allCases.map(\.rawValue).joined(separator: " or ") }
}
