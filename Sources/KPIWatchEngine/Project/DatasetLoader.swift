import Foundation
import KPIWatchCore
import Yams

/// One entry of the project file's `datasets:` (RULES.md §1): the source, its options and the field mapping.
package enum DatasetLoader {
    package static let commonKeys = [
        "source", "fields", "null_values", "date_format", "max_age", "extracted_at", "on_bad_rows", "error_limit",
    ]
    package static let fieldKeys = ["column", "type", "key", "personal"]

    package static func dataset(
        named name: String, _ node: Node, at location: SourceLocation, in document: YAMLDocument,
        sources: SourceRegistry, _ diagnostics: inout DiagnosticCollector
    ) -> DatasetConfig? {
        guard let dataset = YAMLMapping(node, in: document, subject: "dataset '\(name)'", &diagnostics) else {
            return nil
        }
        let source = self.source(of: dataset, sources: sources, &diagnostics)
        let fields = self.fields(of: dataset, name: name, &diagnostics)
        var config = DatasetConfig(
            name: name, source: source ?? "", fields: fields ?? [], node: ConfigNode(node: node, file: document.file),
            location: location)
        if let nullValues = dataset.value("null_values") {
            config.nullValues = dataset.scalarList(nullValues, key: "null_values", &diagnostics).map(\.string)
        }
        config.dateFormat = dataset.string("date_format", &diagnostics)
        if let pattern = config.dateFormat {
            // Checked here, so that `validate` reports a bad format and not only the first `check`.
            diagnostics.capture { _ = try DateFormat(pattern: pattern, at: dataset.valueLocation("date_format")) }
        }
        if let text = dataset.string("max_age", &diagnostics) {
            if let seconds = DurationParser.seconds(text) {
                config.maxAge = seconds
            } else {
                diagnostics.add(
                    Diagnostic(
                        "'max_age' must be a duration such as 90m, 36h, 3d or 2w; got '\(text)'",
                        at: dataset.valueLocation("max_age"),
                        hint: "a number followed by s, m, h, d or w (seconds, minutes, hours, days, weeks)"))
            }
        }
        if let extractedAt = dataset.string("extracted_at", &diagnostics), let fields {
            checkExtractedAt(extractedAt, fields: fields, in: dataset, &diagnostics)
            config.extractedAt = extractedAt
        }
        config.onBadRows = dataset.choice("on_bad_rows", &diagnostics) ?? .fail
        config.errorLimit = dataset.int("error_limit", atLeast: 1, &diagnostics) ?? 20
        guard source != nil, fields != nil else { return nil }
        return config
    }

    /// The `source`, after checking the dataset's other keys against the keys its registered descriptor reads.
    private static func source(
        of dataset: YAMLMapping, sources: SourceRegistry, _ diagnostics: inout DiagnosticCollector
    ) -> String? {
        let allSourceKeys = Set(sources.descriptors.flatMap { $0.descriptor.keys.map(\.name) }).sorted()
        guard let source = dataset.string("source", &diagnostics) else {
            if dataset.value("source") == nil {
                dataset.missing(
                    "source", hint: "valid sources: \(sources.types.joined(separator: ", "))", &diagnostics)
            }
            dataset.checkKeys(commonKeys + allSourceKeys, &diagnostics)
            return nil
        }
        guard let descriptor = sources.descriptor(for: source) else {
            diagnostics.add(
                Diagnostic(
                    "unknown source '\(source)' in \(dataset.subject)", at: dataset.valueLocation("source"),
                    hint: suggestion(for: source, in: sources.types, noun: "sources")))
            dataset.checkKeys(commonKeys + allSourceKeys, &diagnostics)
            return nil
        }
        let check = AdapterKeyCheck(
            type: source, noun: "source", common: commonKeys, keys: descriptor.keys,
            otherTypesKeys: allSourceKeys, factoryChecksOtherKeys: descriptor.factoryChecksOtherKeys)
        check.check(dataset, &diagnostics)
        return source
    }

    /// nil when `fields` is missing or not a mapping; fields that are wrong are reported and left out.
    private static func fields(
        of dataset: YAMLMapping, name: String, _ diagnostics: inout DiagnosticCollector
    ) -> [FieldSpec]? {
        guard let mapping = dataset.mapping("fields", subject: "'fields' of dataset '\(name)'", &diagnostics) else {
            if dataset.value("fields") == nil {
                dataset.missing(
                    "fields", hint: "map each field name used in rules to its column, e.g. team: \"Team\"",
                    &diagnostics)
            }
            return nil
        }
        if mapping.entries.isEmpty {
            diagnostics.add(
                Diagnostic(
                    "dataset '\(name)' has no fields", at: mapping.location,
                    hint: "map each field name used in rules to its column, e.g. team: \"Team\""))
        }
        return mapping.entries.compactMap {
            field($0.key, keyNode: $0.keyNode, value: $0.value, in: mapping, &diagnostics)
        }
    }

    private static func field(
        _ name: String, keyNode: Node, value: Node, in fields: YAMLMapping, _ diagnostics: inout DiagnosticCollector
    ) -> FieldSpec? {
        let location = fields.document.location(of: keyNode)
        guard isIdentifier(name) else {
            let suggested = String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
            diagnostics.add(
                Diagnostic(
                    "field name '\(name)' is not an identifier", at: location,
                    hint:
                        "a field name starts with a letter or _ and holds only letters, digits and _; "
                        + "for example \(suggested): { column: \"\(name)\" }"))
            return nil
        }
        var spec = FieldSpec(name: name, column: name, location: location)
        switch value {
        case _ where isNull(value):
            return spec
        case .scalar(let scalar):
            spec.column = scalar.string
            return spec
        case .mapping:
            guard let mapping = YAMLMapping(value, in: fields.document, subject: "field '\(name)'", &diagnostics) else {
                return nil
            }
            mapping.checkKeys(fieldKeys, &diagnostics)
            spec.column = mapping.string("column", &diagnostics) ?? name
            spec.type = mapping.choice("type", &diagnostics) ?? .string
            spec.key = mapping.bool("key", &diagnostics) ?? false
            spec.personal = mapping.bool("personal", &diagnostics) ?? false
            return spec
        default:
            diagnostics.add(
                Diagnostic(
                    "field '\(name)' must be a column name or a mapping {column, type, key, personal}; got "
                        + describe(value), at: fields.document.location(of: value)))
            return nil
        }
    }

    private static func checkExtractedAt(
        _ name: String, fields: [FieldSpec], in dataset: YAMLMapping, _ diagnostics: inout DiagnosticCollector
    ) {
        let location = dataset.valueLocation("extracted_at")
        guard let field = fields.first(where: { $0.name == name }) else {
            diagnostics.add(
                Diagnostic(
                    "'extracted_at' names no field of \(dataset.subject): '\(name)'", at: location,
                    hint: suggestion(for: name, in: fields.filter { $0.type == .date }.map(\.name), noun: "date fields")
                ))
            return
        }
        if field.type != .date {
            diagnostics.add(
                Diagnostic(
                    "'extracted_at' must name a date field; '\(name)' is \(field.type)", at: location,
                    hint: "declare it with type: date, or name a date field"))
        }
    }
}

extension BadRowPolicy: CaseIterable {
    public static var allCases: [BadRowPolicy] { [.fail, .skip] }
}
