import Foundation
import KPIWatchCore
import Yams

/// Benchmark files (RULES.md §4): reference values are data that change every year, so they live in YAML, not code.
public enum BenchmarkLoader {
    package static let fileKeys = ["benchmarks"]
    package static let entryKeys = ["value", "year", "source"]

    /// - Throws: `Diagnostics` with every error found.
    public static func load(files: [String]) throws -> [String: Benchmark] {
        var diagnostics = DiagnosticCollector()
        let benchmarks = read(files: files, &diagnostics)
        if !diagnostics.isEmpty { throw Diagnostics(inReadingOrder(diagnostics.items)) }
        return benchmarks
    }

    package static func read(files: [String], _ diagnostics: inout DiagnosticCollector) -> [String: Benchmark] {
        var benchmarks: [String: Benchmark] = [:]
        for file in files {
            let document: YAMLDocument
            do {
                document = try YAMLDocument.read(path: file, what: "benchmark file")
            } catch {
                diagnostics.add(error)
                continue
            }
            guard let root = document.root,
                let top = YAMLMapping(root, in: document, subject: "the benchmark file", &diagnostics)
            else {
                continue
            }
            top.checkKeys(fileKeys, &diagnostics)
            guard let entries = top.mapping("benchmarks", subject: "'benchmarks'", &diagnostics) else { continue }
            for entry in entries.entries {
                guard let benchmark = self.benchmark(entry.key, entry.keyNode, entry.value, in: document, &diagnostics)
                else {
                    continue
                }
                if let first = benchmarks[benchmark.name] {
                    diagnostics.add(
                        Diagnostic(
                            "benchmark '\(benchmark.name)' is defined twice", at: benchmark.location,
                            hint: "first defined at \(first.location)"))
                } else {
                    benchmarks[benchmark.name] = benchmark
                }
            }
        }
        return benchmarks
    }

    private static func benchmark(
        _ name: String, _ keyNode: Node, _ node: Node, in document: YAMLDocument,
        _ diagnostics: inout DiagnosticCollector
    ) -> Benchmark? {
        let location = document.location(of: keyNode)
        guard isIdentifier(name) else {
            diagnostics.add(
                Diagnostic(
                    "benchmark name '\(name)' is not an identifier", at: location,
                    hint: "a benchmark name starts with a letter or _ and holds only letters, digits and _"))
            return nil
        }
        if case .scalar = node {
            guard let value = value(of: node, name: name, in: document, &diagnostics) else { return nil }
            return Benchmark(name: name, value: value, location: location)
        }
        guard let entry = YAMLMapping(node, in: document, subject: "benchmark '\(name)'", &diagnostics) else {
            return nil
        }
        entry.checkKeys(entryKeys, &diagnostics)
        let year = entry.string("year", &diagnostics)
        let source = entry.string("source", &diagnostics)
        guard let valueNode = entry.value("value") else {
            entry.missing("value", hint: "give a number (59.9) or a date (2026-03-31)", &diagnostics)
            return nil
        }
        if case .sequence(let sequence) = valueNode {
            guard let list = codes(sequence, name: name, in: document, &diagnostics) else { return nil }
            return Benchmark(name: name, value: .null, list: list, year: year, source: source, location: location)
        }
        guard let value = value(of: valueNode, name: name, in: document, &diagnostics) else { return nil }
        return Benchmark(name: name, value: value, year: year, source: source, location: location)
    }

    /// A list of codes (`[closed_setting, "1"]`): each item text, so that it compares with a text field.
    private static func codes(
        _ sequence: Node.Sequence, name: String, in document: YAMLDocument, _ diagnostics: inout DiagnosticCollector
    ) -> [Value]? {
        var items: [Value] = []
        for item in sequence {
            guard let text = item.scalar?.string.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                diagnostics.add(
                    Diagnostic(
                        "an item of benchmark '\(name)' must be a text code; got " + describe(item),
                        at: document.location(of: item), hint: "write the list as [code_a, code_b, \"1\"]"))
                return nil
            }
            items.append(.string(text))
        }
        return items
    }

    /// A number, or an ISO date for targets set "by a date".
    private static func value(
        of node: Node, name: String, in document: YAMLDocument, _ diagnostics: inout DiagnosticCollector
    ) -> Value? {
        if case .scalar(let scalar) = node {
            let text = scalar.string.trimmingCharacters(in: .whitespaces)
            if let number = Double(text), number.isFinite { return .number(number) }
            if let day = Day(iso: text) { return .date(day) }
        }
        let hint =
            node.scalar?.string.hasSuffix("%") == true
            ? "write the number without '%': a percent KPI's value is already in percent"
            : "for example 59.9, or 2026-03-31 for a target date"
        diagnostics.add(
            Diagnostic(
                "the value of benchmark '\(name)' must be a number or a date written yyyy-MM-dd; got "
                    + describe(node), at: document.location(of: node), hint: hint))
        return nil
    }
}
