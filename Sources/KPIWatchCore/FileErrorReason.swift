import Foundation

/// Why a Foundation file operation failed, in one line: the system's own words ("No space left on device",
/// "Not a directory") when it gives them, else Foundation's description, which can run over several lines.
package func fileErrorReason(_ error: any Error) -> String {
    let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
    if let underlying, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    let nsError = error as NSError
    if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
    return error.localizedDescription.split(whereSeparator: \.isNewline).joined(separator: " ")
}
