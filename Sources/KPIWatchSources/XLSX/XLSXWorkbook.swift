import Foundation
import KPIWatchCore
import KPIWatchEngine

/// An .xlsx file opened for reading: a zip of XML parts. Knows its sheets and reads parts on
/// demand; one is opened per `columnNames()` or `scan`, so a workbook replaced between runs is
/// read afresh and nothing holds the file open in between.
package final class XLSXWorkbook {
    package struct Sheet: Sendable, Hashable {
        package var name: String
        /// 1-based position in tab order.
        package var position: Int
        /// Path of the sheet's XML inside the zip, e.g. `xl/worksheets/sheet1.xml`.
        package var part: String
        /// False for a chart sheet, which has no cells.
        package var hasCells: Bool
    }

    /// The path as the user wrote it, for messages.
    package let displayPath: String
    package let sheets: [Sheet]
    package let dateSystem: ExcelDateSystem
    private var parts: XLSXParts
    private let relationships: XLSXRelationships

    /// `location` is where the path was written (the `path:` option), for errors about the file.
    package init(
        filePath: String, displayPath: String, location: SourceLocation? = nil,
        limits: XLSXParts.Limits = XLSXParts.Limits()
    ) throws {
        self.displayPath = displayPath
        let archive = try XLSXWorkbook.openArchive(
            filePath: filePath, displayPath: displayPath, location: location, limits: limits)
        var parts = XLSXParts(archive: archive, displayPath: displayPath, limits: limits)
        let workbookPart = try XLSXWorkbook.workbookPartPath(in: &parts)
        guard let workbookData = try parts.read(workbookPart) else {
            throw XLSXWorkbook.notAWorkbook(archive: archive, displayPath: displayPath, location: location)
        }
        let folder = (workbookPart as NSString).deletingLastPathComponent
        let relsPath = XLSXRelationships.resolve(
            "_rels/\((workbookPart as NSString).lastPathComponent).rels", against: folder)
        let relsData = try parts.read(relsPath)
        relationships =
            try relsData.map {
                try XLSXRelationships.parse($0, folder: folder, describe: "\(displayPath): \(relsPath)")
            }
            ?? XLSXRelationships(targets: [:])
        let parsed = try XLSXWorkbookPart.parse(workbookData, describe: "\(displayPath): \(workbookPart)")
        dateSystem = parsed.dateSystem
        var sheets: [Sheet] = []
        for (offset, sheet) in parsed.sheets.enumerated() {
            guard let target = relationships.targets[sheet.relationshipID] else {
                throw Diagnostic(
                    "\(displayPath): sheet '\(sheet.name)' has no part (relationship \(sheet.relationshipID) "
                        + "is missing from \(relsPath))",
                    at: location,
                    hint: "the workbook may be damaged; open it in Excel or LibreOffice and save it again as .xlsx")
            }
            sheets.append(
                Sheet(
                    name: sheet.name, position: offset + 1, part: target.path,
                    hasCells: !target.type.hasSuffix("/chartsheet")))
        }
        self.sheets = sheets
        self.parts = parts
    }

    /// The decompressed bytes of a part, or nil if the workbook has no such part (see `XLSXParts`).
    package func read(_ part: String) throws -> Data? {
        try parts.read(part)
    }

    /// Bytes decompressed so far, which `XLSXParts.Limits.total` bounds.
    package var bytesRead: Int { parts.bytesRead }

    /// The shared string table; a workbook whose text is all inline has none.
    package func sharedStrings() throws -> [String] {
        let part = relationships.first(ofType: "sharedStrings")?.path ?? "xl/sharedStrings.xml"
        guard let data = try read(part) else { return [] }
        return try XLSXSharedStrings.parse(data, describe: "\(displayPath): \(part)")
    }

    package func styles() throws -> XLSXStyles {
        let part = relationships.first(ofType: "styles")?.path ?? "xl/styles.xml"
        guard let data = try read(part) else { return .none }
        return try XLSXStyles.parse(data, describe: "\(displayPath): \(part)")
    }

    private static func openArchive(
        filePath: String, displayPath: String, location: SourceLocation?, limits: XLSXParts.Limits
    ) throws -> ZipArchive {
        guard let handle = FileHandle(forReadingAtPath: filePath) else {
            let exists = FileManager.default.fileExists(atPath: filePath)
            throw Diagnostic(
                exists ? "cannot read \(displayPath)" : "file not found: \(displayPath)", at: location,
                hint: exists ? "check the file's permissions" : "a relative path is read from the project file's folder"
            )
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        guard size <= UInt64(limits.total) else {
            throw Diagnostic(
                "\(displayPath) is \(size) bytes, more than the limit of \(limits.total) bytes for a workbook",
                at: location, hint: "split the data or export it as CSV")
        }
        let bytes: Data
        do {
            try handle.seek(toOffset: 0)
            bytes = try handle.readToEnd() ?? Data()
        } catch {
            throw Diagnostic("cannot read \(displayPath): \(error.localizedDescription)", at: location)
        }
        let magic = bytes.prefix(4)
        if magic.elementsEqual([0xD0, 0xCF, 0x11, 0xE0]) {
            throw Diagnostic(
                "\(displayPath) is an Excel 97–2003 (.xls) or password-protected workbook, which cannot be read",
                at: location,
                hint: "open it in Excel or LibreOffice and save it, without a password, as Excel Workbook (.xlsx)")
        }
        let notZip = Diagnostic(
            "\(displayPath) is not an Excel workbook (.xlsx is a zip archive; this file is not one)",
            at: location,
            hint: "save the data as Excel Workbook (.xlsx), or read a text export with 'source: csv'")
        guard magic.elementsEqual([0x50, 0x4B, 0x03, 0x04]) || magic.elementsEqual([0x50, 0x4B, 0x05, 0x06]) else {
            throw notZip
        }
        do {
            return try ZipArchive(bytes: bytes)
        } catch {
            throw Diagnostic(
                "\(displayPath) is a damaged zip archive: \(error.reason)", at: location,
                hint: "open it in Excel or LibreOffice and save it again as .xlsx")
        }
    }

    /// The main part as `_rels/.rels` names it; Excel and LibreOffice both use `xl/workbook.xml`.
    private static func workbookPartPath(in parts: inout XLSXParts) throws -> String {
        let displayPath = parts.displayPath
        guard let data = try parts.read("_rels/.rels"),
            let rels = try? XLSXRelationships.parse(data, folder: "", describe: "\(displayPath): _rels/.rels"),
            let main = rels.first(ofType: "officeDocument")
        else {
            return "xl/workbook.xml"
        }
        return main.path
    }

    private static func notAWorkbook(archive: ZipArchive, displayPath: String, location: SourceLocation?)
        -> Diagnostic
    {
        if archive["content.xml"] != nil {
            return Diagnostic(
                "\(displayPath) is an OpenDocument spreadsheet (.ods), not an Excel workbook", at: location,
                hint: "save it as Excel Workbook (.xlsx)")
        }
        return Diagnostic(
            "\(displayPath) is a zip archive but not an Excel workbook: it has no xl/workbook.xml", at: location,
            hint: "save the data as Excel Workbook (.xlsx)")
    }
}
