import Foundation

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// Paths inside the repository: nothing a test reads may lie outside it, so that a clone with nothing
/// beside it passes.
enum TestPaths {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func fixture(_ relative: String) -> String {
        repository.appendingPathComponent("Tests/KPIWatchTests/Fixtures").appendingPathComponent(relative).path
    }

    static func repo(_ relative: String) -> String { repository.appendingPathComponent(relative).path }

    /// The extract of DfE's and ONS's releases that `kpiwatch benchmarks` reads by default.
    static let benchmarkExtract = repo("Sources/KPIWatchBenchmarkData/release")

    /// The `kpiwatch` executable built beside the test bundle.
    static var executable: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("kpiwatch")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests.path }
        return repo(".build/debug/kpiwatch")
    }
}

/// A directory for one test's files, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "kpiwatch-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let file = (path as NSString).appendingPathComponent(relative)
        try! FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func copy(_ source: String, to relative: String) {
        let target = (path as NSString).appendingPathComponent(relative)
        try? FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! FileManager.default.copyItem(atPath: source, toPath: target)
    }
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `kpiwatch` executable, as a user would.
func runKPIWatch(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws
    -> CommandResult
{
    try runProcess(TestPaths.executable, arguments, environment: environment, directory: directory)
}

/// Runs a program to its end and collects what it printed.
func runProcess(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil
) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Both pipes are drained at once, before waiting: a child that fills one (64 KB of errors) while the other is
    // being read would otherwise block forever.
    let errorReader = PipeReader(err.fileHandleForReading)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = errorReader.wait()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// Loads and evaluates a project through the library, as `check` does.
func evaluateProject(_ path: String, asOf: String, only: [String]? = nil) throws -> Evaluation {
    let engine = Engine.standard()
    let project = try engine.load(configPath: path)
    return try engine.evaluate(project, asOf: Day(iso: asOf)!, only: only)
}

extension Evaluation {
    func values(of id: String, group: [String: String] = [:]) -> [KPIResult] {
        results.filter { $0.id == id && $0.groupDictionary == group }
    }

    func current(_ id: String, group: [String: String] = [:]) -> KPIResult? {
        values(of: id, group: group).first { $0.current }
    }
}

func rounded(_ value: Double?, _ places: Int = 1) -> Double? {
    guard let value else { return nil }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    return (value * scale).rounded() / scale
}

/// Reads a pipe to its end on a thread of its own.
final class PipeReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
