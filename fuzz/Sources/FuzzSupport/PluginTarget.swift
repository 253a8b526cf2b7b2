import Foundation

@testable import KPIWatchCore
@testable import KPIWatchPlugins

/// The plugin protocol as kpiwatch reads it (plugins/README.md). Byte 0 picks the reader:
/// 0: a source plugin's standard output (a header line, then one record per line);
/// 1: a sink plugin's answers (one `{"id": …, "ok": …}` per line);
/// 2: a plugin's manifest (`plugin.yaml`).
/// Lines are split as `PluginProcess` splits them: at LF, a CR before it dropped.
public enum PluginTarget {
    static let sink = PluginSink(
        process: PluginProcess(
            manifest: PluginManifest(
                name: "fuzz", kind: .sink, command: ["true"], folder: Scratch.path("plugins/fuzz")),
            workingDirectory: Scratch.folder),
        options: [])
    static let expected: Set<String> = ["a1", "b2", "c3"]

    public static func run(_ input: FuzzInput) {
        let (choice, rest) = input.choice()
        switch choice % 3 {
        case 0: readSource(lines(rest))
        case 1:
            for (number, line) in lines(rest) { _ = sink.answer(line, number: number, expected: expected) }
        default:
            Scratch.write(rest, as: "plugins/fuzz/plugin.yaml")
            do {
                _ = try PluginManifest.load(folder: Scratch.path("plugins/fuzz"))
            } catch {
                Oracle.expectDiagnostic(error, from: "the plugin manifest reader")
            }
        }
    }

    static func readSource(_ lines: [(Int, Data)]) {
        guard let (number, first) = lines.first else { return }
        let header: PluginHeader
        do {
            header = try PluginHeader(line: first, number: number, plugin: "fuzz")
        } catch {
            Oracle.expectDiagnostic(error, from: "the plugin header reader")
            return
        }
        for (number, line) in lines.dropFirst() {
            do {
                CellSweep.decode(try header.record(line: line, number: number, plugin: "fuzz"))
            } catch {
                Oracle.expectDiagnostic(error, from: "the plugin record reader")
            }
        }
    }

    static func lines(_ bytes: ArraySlice<UInt8>) -> [(Int, Data)] {
        var result: [(Int, Data)] = []
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var text = line
            if text.last == 0x0D { text = text.dropLast() }
            result.append((index + 1, Data(text)))
        }
        if result.last?.1.isEmpty == true { result.removeLast() }
        return result
    }
}
