import Foundation
@testable import KPIWatchCore
@testable import KPIWatchSources
import ZIPFoundation

/// The Excel reader, in two ways. An even first byte: the rest is the .xlsx file itself, so the
/// zip reading (kpiwatch's ZipArchive and ZipInflater) meets damaged archives. An odd first
/// byte: the rest is XML parts separated by NUL bytes (sheet, shared strings, styles, workbook,
/// workbook relationships), zipped here into a well-formed archive, so that mutations reach the
/// XML readers instead of failing the zip's checksums. A part left empty gets a minimal default.
public enum XLSXTarget {
    static let partNames = [
        "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
    ]
    static let defaults: [String: String] = [
        "xl/worksheets/sheet1.xml":
            #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row></sheetData></worksheet>"#,
        "xl/workbook.xml":
            #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Cases" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        "xl/_rels/workbook.xml.rels":
            #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        "_rels/.rels":
            #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    ]

    public static func run(_ input: FuzzInput) {
        let (choice, rest) = input.choice()
        let path: String
        if choice & 1 == 0 {
            path = Scratch.write(rest, as: "fuzz.xlsx")
        } else {
            guard let zipped = zip(parts: rest, compressed: choice & 2 != 0) else { return }
            path = Scratch.write(zipped, as: "fuzz.xlsx")
        }
        let headerRow = 1 + Int(choice >> 2) % 3
        let source: XLSXSource
        do {
            source = try XLSXSource(filePath: path, displayPath: "data/fuzz.xlsx", headerRow: headerRow)
        } catch {
            Oracle.expectDiagnostic(error, from: "the XLSX workbook reader")
            return
        }
        CellSweep.readAll(source, what: "the XLSX source")
    }

    static func zip(parts bytes: ArraySlice<UInt8>, compressed: Bool) -> Data? {
        let given = bytes.split(separator: 0, maxSplits: partNames.count - 1, omittingEmptySubsequences: false)
        var contents: [(String, Data)] = []
        for (index, name) in partNames.enumerated() {
            if index < given.count, !given[index].isEmpty {
                contents.append((name, Data(given[index])))
            } else if let fallback = defaults[name] {
                contents.append((name, Data(fallback.utf8)))
            }
        }
        contents.append(("_rels/.rels", Data(defaults["_rels/.rels"]!.utf8)))
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (name, data) in contents {
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count),
                    compressionMethod: compressed ? .deflate : .none
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            return archive.data
        } catch {
            fatalError("cannot zip the parts: \(error)")
        }
    }
}
