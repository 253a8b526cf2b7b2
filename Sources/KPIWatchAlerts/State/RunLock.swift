import Foundation
import KPIWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serialises runs on one state store: an exclusive `flock` on `<state>.lock`. The kernel drops the lock when
/// the process ends, however it ends, so a killed run never leaves a stale lock behind.
public final class RunLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock, waiting for a run that holds it; `waiting` is told (once) whose run it waits for.
    public init(
        statePath: String, configuredAt location: SourceLocation? = nil, waiting: (String) -> Void = { _ in }
    ) throws {
        path = statePath + ".lock"
        try StatePath.check(statePath, at: location)
        try StateFolder.create(for: statePath, at: location)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Diagnostic(
                "cannot create the lock file \(path): \(String(cString: strerror(errno)))", at: location,
                hint: "the folder of 'state:' must be writable")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.holder(fd).map { " (pid \($0))" } ?? ""
            waiting("another kpiwatch run holds \(path)\(holder); waiting")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(fd)
                    throw Diagnostic("cannot lock \(path): \(String(cString: strerror(errno)))")
                }
            }
        }
        descriptor = fd
        let pid = Data("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func holder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
