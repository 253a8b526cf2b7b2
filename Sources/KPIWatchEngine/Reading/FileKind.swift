import Foundation
import KPIWatchCore

/// What a path names, following symbolic links. Data and rule files must be regular files: a FIFO blocks the
/// reader forever, a device such as /dev/zero never ends, and a symbolic-link loop is not "not found".
package enum FileKind: Equatable {
    case regular
    case folder
    case missing
    case symlinkLoop
    /// A FIFO, device or socket, named for the message ("a named pipe (FIFO)").
    case special(String)
    /// stat failed for another reason (permissions on a parent folder, …), with the system's words.
    case unreadable(String)

    package static func of(_ path: String) -> FileKind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: return .missing
            case ELOOP: return .symlinkLoop
            default: return .unreadable(String(cString: strerror(code)))
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .folder
        case S_IFIFO: return .special("a named pipe (FIFO)")
        case S_IFCHR: return .special("a character device")
        case S_IFBLK: return .special("a block device")
        case S_IFSOCK: return .special("a socket")
        default: return .special("not a regular file")
        }
    }

    /// The problem with reading `path` as a file, for a message naming it as `shown`; nil for a regular file.
    /// A missing file is left to the caller, which knows what to suggest.
    package static func problem(reading path: String, shown: String) -> (message: String, hint: String)? {
        switch of(path) {
        case .regular, .missing: return nil
        case .folder: return ("\(shown) is a folder, not a file", "name a file inside it")
        case .symlinkLoop:
            return (
                "\(shown) is a symbolic link that leads back to itself (a loop)",
                "point the link at a real file, or name the file itself"
            )
        case .special(let kind):
            return ("\(shown) is \(kind), not a regular file", "copy the data into a file and name that file")
        case .unreadable(let reason): return ("cannot open \(shown): \(reason)", "check the path and its permissions")
        }
    }
}
