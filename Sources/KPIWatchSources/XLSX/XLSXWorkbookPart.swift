import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `xl/workbook.xml`: the sheets in tab order, each with the relationship id that locates its part,
/// and the date system.
package struct XLSXWorkbookPart: Sendable {
    package struct Sheet: Sendable, Hashable {
        package var name: String
        package var relationshipID: String
    }

    package var sheets: [Sheet]
    package var dateSystem: ExcelDateSystem

    package static func parse(_ data: Data, describe: String) throws -> XLSXWorkbookPart {
        let handler = Handler()
        try XMLEvents.parse(data, with: handler, describe: describe)
        return XLSXWorkbookPart(sheets: handler.sheets, dateSystem: handler.dateSystem)
    }

    private final class Handler: XMLEventHandler {
        var sheets: [Sheet] = []
        var dateSystem = ExcelDateSystem.from1900

        func start(_ name: String, _ attributes: [String: String]) throws {
            switch name {
            case "workbookPr":
                let flag = attributes["date1904"]?.lowercased()
                if flag == "1" || flag == "true" { dateSystem = .from1904 }
            case "sheet":
                if let sheetName = attributes["name"], let id = XMLEvents.attribute("id", in: attributes) {
                    sheets.append(Sheet(name: sheetName, relationshipID: id))
                }
            default:
                break
            }
        }

        func end(_ name: String) throws {
            // The sheet list comes before defined names, calculation settings and extensions.
            if name == "sheets" { throw XMLStopReading() }
        }
    }
}

/// A `_rels/*.rels` part: where each relationship id of its source part points.
package struct XLSXRelationships: Sendable {
    package struct Target: Sendable, Hashable {
        /// e.g. `http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet`.
        package var type: String
        /// The part's path inside the zip, resolved against the source part's folder.
        package var path: String
    }

    package var targets: [String: Target]

    /// `folder` is the folder of the part the relationships belong to (`xl` for the workbook).
    package static func parse(_ data: Data, folder: String, describe: String) throws -> XLSXRelationships {
        let handler = Handler(folder: folder)
        try XMLEvents.parse(data, with: handler, describe: describe)
        return XLSXRelationships(targets: handler.targets)
    }

    /// The first relationship of a type, by the type's last path component (`worksheet`, `officeDocument`).
    package func first(ofType kind: String) -> Target? {
        targets.values.sorted { $0.path < $1.path }.first { $0.type.hasSuffix("/\(kind)") }
    }

    /// `worksheets/sheet1.xml` from `xl` → `xl/worksheets/sheet1.xml`; `/xl/x.xml` → `xl/x.xml`.
    package static func resolve(_ target: String, against folder: String) -> String {
        var components: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return components.joined(separator: "/")
    }

    private final class Handler: XMLEventHandler {
        let folder: String
        var targets: [String: Target] = [:]

        init(folder: String) { self.folder = folder }

        func start(_ name: String, _ attributes: [String: String]) {
            guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"],
                attributes["TargetMode"] != "External"
            else {
                return
            }
            targets[id] = Target(
                type: attributes["Type"] ?? "", path: XLSXRelationships.resolve(target, against: folder))
        }

        func end(_ name: String) {}
    }
}
