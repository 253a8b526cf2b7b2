import Foundation
import KPIWatchCore

/// The parts of an .xlsx, read by name within what one workbook may decompress to. A real sheet of
/// SEND cases is megabytes; a zip bomb (kilobytes that inflate to gigabytes) stops at the limits
/// instead of taking the machine's memory.
package struct XLSXParts {
    package struct Limits {
        package var part = 512 << 20
        package var total = 1 << 30
    }

    package let archive: ZipArchive
    /// The path as the user wrote it, for messages.
    package let displayPath: String
    package let limits: Limits
    /// Bytes decompressed so far, against `limits.total`.
    private(set) var bytesRead = 0

    package init(archive: ZipArchive, displayPath: String, limits: Limits) {
        self.archive = archive
        self.displayPath = displayPath
        self.limits = limits
    }

    /// The decompressed bytes of a part, or nil if the workbook has no such part. A part that is
    /// damaged or would take the workbook past its limits is an error naming the file and the part.
    package mutating func read(_ part: String) throws -> Data? {
        guard let entry = archive[part] else { return nil }
        let sizeHint = "split the data across workbooks or export it as CSV"
        // A part over its own limit is refused as such by `contents(of:limit:)`.
        guard bytesRead + min(entry.uncompressedSize, limits.part) <= limits.total else {
            throw Diagnostic(
                "cannot read \(part): the workbook's parts come to more than the limit of "
                    + "\(limits.total) bytes uncompressed", place: displayPath, hint: sizeHint)
        }
        do {
            let data = try archive.contents(of: entry, limit: limits.part)
            bytesRead += data.count
            return data
        } catch {
            throw Diagnostic(
                "cannot read \(part): \(error.reason)", place: displayPath,
                hint: entry.uncompressedSize > limits.part
                    ? sizeHint
                    : "the workbook may be damaged; open it in Excel or LibreOffice and save it again as .xlsx")
        }
    }
}
