import KPIWatchCore

/// Writes a benchmark file (RULES.md §4) that `BenchmarkLoader` reads. It carries no generation time,
/// so the same release gives the same file and a diff shows only what the new release changed.
package enum BenchmarkFileWriter {
    package static func render(_ generated: GeneratedBenchmarks) -> String {
        let la = generated.authority
        var lines = [
            "# Benchmarks for \(la.label), \(la.regionName), from DfE's and ONS's published files.",
            "# Written by `kpiwatch benchmarks --la \(la.oldCode)` from these files of the data folder:",
        ]
        lines += generated.periods.map { "#   \($0)" }
        if !generated.neighbours.isEmpty {
            lines.append(
                "# Statistical neighbours: " + generated.neighbours.joined(separator: ", ")
                    + "; their figure is the mean of the neighbours' own rates, each counting once.")
        }
        lines.append("# Values are rounded to 1 decimal place (request rates, in percent, to 2).")
        for note in generated.notes { lines.append("# Note: " + oneLine(note)) }
        lines.append("benchmarks:")
        for entry in generated.entries {
            switch entry {
            case .figure(let figure):
                let fields = "value: \(figure.text), year: \(figure.year), source: \(quoted(figure.source))"
                lines.append("  \(figure.name): { \(fields) }")
            case .missing(let missing):
                lines.append("  # \(missing.name): not available: \(oneLine(missing.reason))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar.
    package static func quoted(_ text: String) -> String {
        var result = "\""
        for character in oneLine(text) {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            default: result.append(character)
            }
        }
        return result + "\""
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
