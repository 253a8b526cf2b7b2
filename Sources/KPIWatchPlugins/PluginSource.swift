import Foundation
import KPIWatchCore
import KPIWatchEngine
import KPIWatchSources

/// `source: plugin:NAME`: a program that writes the dataset's records (plugins/README.md).
///
/// Its standard input is the dataset's options as one JSON object plus `"fields"`; its standard
/// output is a header line `{"fields": {"name": "string|int|number|date|bool", …}}` and then one
/// JSON object per record. Records are held until the plugin has exited with status 0: a plugin
/// that crashes, times out or writes one malformed line fails the whole dataset, and nothing it
/// wrote is evaluated.
public struct PluginSource: Source {
    public let process: PluginProcess
    /// The JSON object written to the plugin's standard input.
    public let input: Data
    public var origin: String { "plugin '\(process.manifest.name)'" }

    public init(process: PluginProcess, input: Data) {
        self.process = process
        self.input = input
    }

    public static let factory: SourceFactory = { dataset, project in
        let name = String(dataset.source.dropFirst("plugin:".count))
        let manifest = try PluginDirectory(project: project).plugin(
            named: name, as: .source, at: dataset.optionLocation("source"))
        let undocumented = PluginOptions.undocumentedKeys(
            dataset.node.node, manifest: manifest, common: DatasetLoader.commonKeys, file: dataset.node.file)
        if !undocumented.isEmpty { throw Diagnostics(undocumented) }
        var options = PluginOptions.object(dataset.node.node, excluding: Set(DatasetLoader.commonKeys))
        options.append(("fields", .object(dataset.fields.map { ($0.name, fieldJSON($0)) })))
        return PluginSource(
            process: PluginProcess(manifest: manifest, workingDirectory: project.directory),
            input: Data((JSONValue.object(options).serialized + "\n").utf8))
    }

    package static func fieldJSON(_ field: FieldSpec) -> JSONValue {
        .object([
            ("column", .string(field.column)), ("type", .string(field.type.rawValue)), ("key", .bool(field.key)),
            ("personal", .bool(field.personal)),
        ])
    }

    /// The header's field names; the plugin is stopped once it has written its header.
    public func columnNames() throws -> [String] {
        var header: PluginHeader?
        _ = try process.run(input: input) { number, line in
            header = try PluginHeader(line: line, number: number, plugin: process.manifest.name)
            return false
        }
        guard let header else { throw noOutput() }
        return header.names
    }

    public func scan(columns: [String], _ visit: (SourceRow) throws -> Void) throws {
        var header: PluginHeader?
        var rows: [SourceRow] = []
        var slots: [Int] = []
        let name = process.manifest.name
        _ = try process.run(input: input) { number, line in
            guard let header else {
                let read = try PluginHeader(line: line, number: number, plugin: name)
                slots = try columns.map { column in
                    guard let slot = read.names.firstIndex(of: column) else {
                        throw Diagnostic(
                            "plugin '\(name)' declares no field \"\(column)\"", place: "plugin '\(name)', line 1",
                            hint: DatasetReader.columnHint(for: column, in: read.names))
                    }
                    return slot
                }
                header = read
                return true
            }
            let cells = try header.record(line: line, number: number, plugin: name)
            rows.append(SourceRow(number: number, cells: slots.map { cells[$0] }))
            return true
        }
        guard header != nil else { throw noOutput() }
        for row in rows { try visit(row) }
    }

    public func extractedAt() -> Date? { nil }

    private func noOutput() -> Diagnostic {
        process.failure(
            "wrote nothing on standard output", hint: "its first line must be the header {\"fields\": {…}}")
    }
}

/// The first line of a source plugin's output: its fields and their JSON types.
package struct PluginHeader {
    package var names: [String]
    package var types: [FieldType]
    private var slots: [String: Int]

    package init(line: Data, number: Int, plugin: String) throws {
        let place = "plugin '\(plugin)', line \(number)"
        let example = "{\"fields\": {\"case_id\": \"string\", \"request_date\": \"date\"}}"
        guard case .value(let value) = JSONRecord.parse(line), let object = value as? [String: Any] else {
            throw Diagnostic(
                "plugin '\(plugin)' wrote a first line that is not a JSON object", place: place,
                hint: "the first line must declare the fields, e.g. \(example)")
        }
        guard let fields = object["fields"] as? [String: Any] else {
            throw Diagnostic(
                "plugin '\(plugin)' wrote a record before the header: line \(number) has no \"fields\" object",
                place: place, hint: "write the header \(example) before the first record")
        }
        names = fields.keys.sorted()
        types = try names.map { name in
            guard let text = fields[name] as? String, let type = FieldType(rawValue: text) else {
                throw Diagnostic(
                    "plugin '\(plugin)' declares field \"\(name)\" with an unknown type", place: place,
                    hint: "types are string, int, number, date, bool")
            }
            return type
        }
        slots = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }

    /// One record line as cells in header order; a line that is not an object, a key not declared
    /// or a value of the wrong JSON type is an error naming the plugin and the line.
    package func record(line: Data, number: Int, plugin: String) throws -> [Cell] {
        let place = "plugin '\(plugin)', line \(number)"
        let object: [String: Any]
        switch JSONRecord.parse(line) {
        case .invalid(let reason):
            throw Diagnostic(
                "plugin '\(plugin)' wrote invalid JSON on line \(number): \(reason)", place: place,
                hint: "write one JSON object per line")
        case .value(let value):
            guard let value = value as? [String: Any] else {
                throw Diagnostic(
                    "plugin '\(plugin)' wrote \(JSONRecord.kind(of: value)) on line \(number), not a record object",
                    place: place, hint: "write one JSON object per line")
            }
            if value["fields"] is [String: Any], value.count == 1 {
                throw Diagnostic(
                    "plugin '\(plugin)' wrote a second header on line \(number)", place: place,
                    hint: "write the header once, as the first line")
            }
            object = value
        }
        var cells = [Cell](repeating: .missing, count: names.count)
        for (key, value) in object {
            guard let slot = slots[key] else {
                throw Diagnostic(
                    "plugin '\(plugin)' wrote key \"\(key)\" on line \(number), which its header does not declare",
                    place: place, hint: "declared fields: \(names.joined(separator: ", "))")
            }
            cells[slot] = try cell(value, type: types[slot], key: key, plugin: plugin, number: number)
        }
        return cells
    }

    private func cell(_ value: Any, type: FieldType, key: String, plugin: String, number: Int) throws -> Cell {
        let cell: Cell
        switch JSONRecord.cell(value, path: key) {
        case .success(let read): cell = read
        case .failure(let problem):
            // An object or array is no value of any field type: reading it as empty text would hide it.
            throw Diagnostic(
                "plugin '\(plugin)' wrote line \(number) where \(problem.message)",
                place: "plugin '\(plugin)', line \(number)", hint: "write a string, number, boolean or null")
        }
        switch (type, cell) {
        case (_, .missing): return .missing
        case (.string, .text), (.int, .int), (.number, .number), (.bool, .bool): return cell
        case (.number, .int(let int)): return .number(Double(int))
        case (.int, .number(let number)) where number == number.rounded() && abs(number) < 9e15:
            return .int(Int(number))
        case (.date, .text(let text)):
            if let day = Day(iso: text) { return .date(day) }
            throw Diagnostic(
                "plugin '\(plugin)' wrote \"\(key)\" on line \(number) as a date that is not yyyy-MM-dd",
                place: "plugin '\(plugin)', line \(number)",
                hint: "dates are strings written yyyy-MM-dd, e.g. \"2024-03-31\"")
        default:
            let expected =
                switch type {
                case .string: "a string"
                case .int: "a whole number"
                case .number: "a number"
                case .bool: "true or false"
                case .date: "a date string yyyy-MM-dd"
                }
            throw Diagnostic(
                "plugin '\(plugin)' wrote \"\(key)\" on line \(number) as \(JSONRecord.kind(of: value)); "
                    + "its header declares \(type), so it must be \(expected) or null",
                place: "plugin '\(plugin)', line \(number)")
        }
    }
}
