/// The registered source and sink types with their keys, from their descriptors: what `kpiwatch plugins` prints
/// and what the key tables of docs/sources.md and docs/alerts.md hold (AdapterDocsTests keeps them the same).
public enum AdapterListing {
    /// One line per type and one per key, indented: `kpiwatch plugins`.
    public static func text(sources: SourceRegistry, sinks: SinkRegistry) -> String {
        var lines = ["source types (datasets' source:, with the keys beside the common dataset keys):"]
        for (name, descriptor) in sources.descriptors {
            lines += typeLines(name, descriptor.summary, descriptor.keys, descriptor.factoryChecksOtherKeys)
        }
        lines.append(
            "sink types (sinks' type:, with the keys beside every sink's \(SinkPolicy.keys.joined(separator: ", "))):")
        for (name, descriptor) in sinks.descriptors {
            lines += typeLines(name, descriptor.summary, descriptor.keys, descriptor.factoryChecksOtherKeys)
        }
        return lines.joined(separator: "\n")
    }

    private static func typeLines(_ name: String, _ summary: String, _ keys: [AdapterKey], _ open: Bool) -> [String] {
        var lines = ["  \(name)  \(summary)"]
        for key in keys {
            lines.append("      \(key.name) (\(key.type.description)\(key.required ? ", required" : ""))  \(key.doc)")
        }
        if open { lines.append("      the keys its manifest declares") }
        return lines
    }

    /// A Markdown table, one row per key: docs/sources.md.
    public static func markdown(sources: SourceRegistry) -> String {
        table(
            "source",
            sources.descriptors.map { ($0.listedAs, $0.descriptor.keys, $0.descriptor.factoryChecksOtherKeys) })
    }

    /// A Markdown table, one row per key: docs/alerts.md.
    public static func markdown(sinks: SinkRegistry) -> String {
        table("sink", sinks.descriptors.map { ($0.listedAs, $0.descriptor.keys, $0.descriptor.factoryChecksOtherKeys) })
    }

    private static func table(_ noun: String, _ types: [(name: String, keys: [AdapterKey], open: Bool)]) -> String {
        var lines = ["| \(noun) | key | value | required | meaning |", "|---|---|---|---|---|"]
        for type in types {
            if type.keys.isEmpty {
                let meaning = type.open ? "the keys its manifest declares (plugins/README.md)" : "no keys of its own"
                lines.append("| `\(type.name)` | | | | \(meaning) |")
            }
            for key in type.keys {
                let value = key.type.description.replacingOccurrences(of: "|", with: "\\|")
                lines.append(
                    "| `\(type.name)` | `\(key.name)` | \(value) | \(key.required ? "yes" : "") | \(key.doc) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
