import Foundation
import KPIWatchCore
import KPIWatchEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts a plugin's program and talks to it over pipes: no shell, an environment built from
/// nothing, a timeout, and a cap on how much it may write. Every failure is a `Diagnostic` that
/// names the plugin.
public struct PluginProcess: Sendable {
    public let manifest: PluginManifest
    /// The folder the program runs in: the project's, so that `path:` options read as in any dataset.
    public let workingDirectory: String
    /// kpiwatch's own environment, from which only PATH, HOME, LANG and the manifest's `env:` are passed.
    public let parentEnvironment: [String: String]
    package static let passedAlways = ["PATH", "HOME", "LANG"]
    package static let stderrTailBytes = 64 * 1024
    /// How long a plugin has to stop after SIGTERM before it is killed.
    package static let killGrace: Double = 2

    public init(
        manifest: PluginManifest, workingDirectory: String,
        parentEnvironment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.manifest = manifest
        self.workingDirectory = workingDirectory
        self.parentEnvironment = parentEnvironment
    }

    /// What a finished run left behind besides its output.
    public struct Outcome: Sendable {
        /// The last 64 KB the plugin wrote on standard error.
        public var stderr: String
        /// True when the reader stopped the plugin itself (it had read all it wanted).
        public var stoppedEarly: Bool
    }

    /// The environment the plugin sees: nothing kpiwatch does not pass on purpose.
    package var environment: [String: String] {
        var env: [String: String] = [:]
        for name in Self.passedAlways + manifest.environment {
            if let value = parentEnvironment[name] { env[name] = value }
        }
        env["KPIWATCH_PLUGIN_DIR"] = manifest.folder
        env["KPIWATCH_PROJECT_DIR"] = workingDirectory
        return env
    }

    /// The program to start: a path is taken relative to the plugin's folder, a bare name is the
    /// plugin folder's file of that name if there is one, else a program on PATH.
    package func executable() throws -> URL {
        let program = manifest.command.first ?? ""
        let folder = manifest.folder
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : (folder as NSString).appendingPathComponent(program)
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw failure(
                    "cannot start \(path): it is not an executable file",
                    hint: "check 'command' in \(manifest.file) and the file's execute permission (chmod +x)")
            }
            return URL(fileURLWithPath: path)
        }
        let local = (folder as NSString).appendingPathComponent(program)
        if FileManager.default.isExecutableFile(atPath: local) { return URL(fileURLWithPath: local) }
        let searchPath = parentEnvironment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = (String(directory) as NSString).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw failure(
            "cannot start '\(program)': no such program in the plugin's folder or on PATH",
            hint: "install it, or give its path in 'command' of \(manifest.file)")
    }

    /// Arguments after the program: one that names a file in the plugin's folder (`main.py`) is
    /// given as that file's path, since the plugin runs in the project's folder. Others pass as written.
    package var arguments: [String] {
        manifest.command.dropFirst().map { argument in
            guard !argument.hasPrefix("/"), !argument.hasPrefix("-") else { return argument }
            let local = (manifest.folder as NSString).appendingPathComponent(argument)
            return FileManager.default.fileExists(atPath: local) ? local : argument
        }
    }

    /// Runs the plugin with `input` on its standard input and hands each line of its standard
    /// output (1-based number, bytes without the newline) to `line`, which returns false to stop
    /// reading (the plugin is then stopped, and that is not a failure).
    ///
    /// - Throws: a `Diagnostic` naming the plugin when it cannot start, times out, writes more
    ///   than its cap or exits with a non-zero status (with the tail of its standard error), or
    ///   whatever `line` throws (the plugin is stopped first).
    public func run(input: Data, line: (Int, Data) throws -> Bool) throws -> Outcome {
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw failure("cannot start \(process.executableURL!.path): \(error.localizedDescription)")
        }
        let watch = ProcessWatch(process: process)
        let done = DispatchGroup()
        let stdinWriter = stdin.fileHandleForWriting
        DispatchQueue.global().async(group: done) {
            // A plugin that exits without reading its input is not an error here; its exit status says.
            try? stdinWriter.write(contentsOf: input)
            try? stdinWriter.close()
        }
        let stderrReader = stderr.fileHandleForReading
        let tail = StderrTail(limit: Self.stderrTailBytes)
        DispatchQueue.global().async(group: done) {
            while case let chunk = stderrReader.availableData, !chunk.isEmpty { tail.append(chunk) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + manifest.timeout) { watch.stop(reason: .timedOut) }

        var thrown: (any Error)?
        do {
            try readLines(stdout.fileHandleForReading, watch: watch, line)
        } catch {
            thrown = error
            watch.stop(reason: .readerFailed)
        }
        try? stdout.fileHandleForReading.close()
        process.waitUntilExit()
        watch.finished()
        done.wait()
        let outcome = Outcome(stderr: tail.text, stoppedEarly: watch.reason == .readerStopped)
        if let thrown { throw thrown }
        switch watch.reason {
        case .timedOut:
            throw failure(
                "timed out after \(Self.describe(manifest.timeout)) and was stopped" + Self.tail(outcome.stderr),
                hint: "raise 'timeout' in \(manifest.file) if it needs longer")
        case .outputCapExceeded:
            throw failure(
                "wrote more than \(manifest.maxOutputBytes) bytes of output and was stopped",
                hint: "raise 'max_output_bytes' in \(manifest.file), or have the plugin select fewer records")
        case .readerStopped:
            return outcome
        case .readerFailed, nil:
            break
        }
        if process.terminationReason == .uncaughtSignal {
            throw failure("was killed by signal \(process.terminationStatus)" + Self.tail(outcome.stderr))
        }
        if process.terminationStatus != 0 {
            throw failure("exited with status \(process.terminationStatus)" + Self.tail(outcome.stderr))
        }
        return outcome
    }

    private func readLines(_ handle: FileHandle, watch: ProcessWatch, _ line: (Int, Data) throws -> Bool) rethrows {
        var buffer = Data()
        var total = 0
        var number = 0
        // `availableData` returns what the pipe holds now; `read(upToCount:)` would wait for a full
        // buffer, and a plugin that writes its header and then works for a while would seem silent.
        while case let chunk = handle.availableData, !chunk.isEmpty {
            total += chunk.count
            if total > manifest.maxOutputBytes {
                watch.stop(reason: .outputCapExceeded)
                return
            }
            buffer.append(chunk)
            var start = buffer.startIndex
            while let newline = buffer[start...].firstIndex(of: 0x0A) {
                number += 1
                var text = buffer[start..<newline]
                if text.last == 0x0D { text = text.dropLast() }
                start = buffer.index(after: newline)
                guard try line(number, Data(text)) else {
                    watch.stop(reason: .readerStopped)
                    return
                }
            }
            buffer = Data(buffer[start...])
        }
        if !buffer.isEmpty {
            number += 1
            if try !line(number, buffer) { watch.stop(reason: .readerStopped) }
        }
    }

    package func failure(_ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic("plugin '\(manifest.name)' \(message)", place: "plugin '\(manifest.name)'", hint: hint)
    }

    /// `: <last lines of stderr>`, or nothing when the plugin wrote none.
    package static func tail(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { return " (it wrote nothing on standard error)" }
        return "; its standard error ends:\n" + lines.suffix(10).map { "    \($0)" }.joined(separator: "\n")
    }

    package static func describe(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}

/// Stops a running plugin at most once, remembering why, and kills it if SIGTERM is not enough.
private final class ProcessWatch: @unchecked Sendable {
    enum Reason { case timedOut, outputCapExceeded, readerStopped, readerFailed }

    private let lock = NSLock()
    private let process: Process
    private var stopReason: Reason?
    private var exited = false

    init(process: Process) { self.process = process }

    var reason: Reason? { lock.withLock { stopReason } }

    func stop(reason: Reason) {
        let pid: Int32? = lock.withLock {
            guard !exited, stopReason == nil else { return nil }
            stopReason = reason
            return process.processIdentifier
        }
        guard let pid else { return }
        kill(pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + PluginProcess.killGrace) { [self] in
            if lock.withLock({ !exited }) { kill(pid, SIGKILL) }
        }
    }

    /// After the process has been reaped: its pid may be reused, so it must not be signalled again.
    func finished() { lock.withLock { exited = true } }
}

/// The last `limit` bytes of a plugin's standard error.
private final class StderrTail: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func append(_ chunk: Data) {
        lock.withLock {
            data.append(chunk)
            if data.count > limit { data = Data(data.suffix(limit)) }
        }
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
