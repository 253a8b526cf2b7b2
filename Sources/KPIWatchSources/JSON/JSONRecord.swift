import Foundation
import KPIWatchCore
import KPIWatchEngine

/// A JSON object as `JSONSerialization` gives it, read the way a dataset reads a record: a field's
/// `column` is a key, or a dotted path (`child.id`) into nested objects.
package struct JSONRecord {
    package let object: [String: Any]

    /// The value at `path`: the key itself when the object has it (keys may contain dots),
    /// else the dotted path followed through nested objects. nil when absent.
    package func value(at path: String) -> Any? {
        if let value = object[path] { return value }
        guard path.contains(".") else { return nil }
        var current: Any = object
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let nested = current as? [String: Any], let next = nested[String(part)] else { return nil }
            current = next
        }
        return current
    }

    /// The cell at `path`, or why the value there cannot be a cell (an array or an object).
    package func cell(at path: String) -> Result<Cell, JSONCellProblem> {
        JSONRecord.cell(value(at: path), path: path)
    }

    /// Every key path that leads to a value, nested objects flattened to `parent.child`, in the order
    /// met: the columns the record offers.
    package func columns() -> [String] {
        var names: [String] = []
        Self.collect(object, prefix: "", into: &names)
        return names
    }

    private static func collect(_ object: [String: Any], prefix: String, into names: inout [String]) {
        for key in object.keys.sorted() {
            let path = prefix + key
            if let nested = object[key] as? [String: Any], !nested.isEmpty {
                collect(nested, prefix: path + ".", into: &names)
            } else {
                names.append(path)
            }
        }
    }

    /// JSON number → `.int` (integral, written without a fraction) or `.number`; string → `.text`;
    /// true/false → `.bool`; null or absent → `.missing`.
    ///
    /// On Linux `JSONSerialization` hands back `NSNumber` for booleans and numbers alike, and an
    /// `NSNumber` holding 1 also answers `as? Bool`; only its storage type tells `true` from `1`.
    package static func cell(_ value: Any?, path: String) -> Result<Cell, JSONCellProblem> {
        switch value {
        case nil, is NSNull:
            return .success(.missing)
        case let text as String:
            return .success(.text(text))
        case let number as NSNumber:
            switch number.objCType.pointee {
            case CChar(UInt8(ascii: "c")), CChar(UInt8(ascii: "B")):
                return .success(.bool(number.boolValue))
            case CChar(UInt8(ascii: "d")), CChar(UInt8(ascii: "f")):
                return .success(.number(number.doubleValue))
            default:
                return .success(.int(number.intValue))
            }
        case is [Any]:
            return .failure(JSONCellProblem(path: path, message: "key \"\(path)\" holds an array, not a value"))
        case is [String: Any]:
            let keys = (value as? [String: Any])?.keys.sorted().prefix(5).map { "\(path).\($0)" } ?? []
            return .failure(
                JSONCellProblem(
                    path: path,
                    message: "key \"\(path)\" holds an object, not a value; name one of its keys, such as "
                        + keys.map { "\"\($0)\"" }.joined(separator: ", ")))
        default:
            return .failure(JSONCellProblem(path: path, message: "key \"\(path)\" holds \(type(of: value!))"))
        }
    }

    /// Parses one JSON text; the error says where and what, without the value (which may be personal).
    package static func parse(_ data: Data) -> JSONParse {
        do {
            let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            if let comma = JSONTrailingComma.find(in: data) {
                return .invalid("a comma before '\(comma.closer)' \(comma.place); JSON allows none there")
            }
            return .value(value)
        } catch {
            return .invalid(describe(error))
        }
    }

    package static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return nsError.localizedDescription
    }

    package static func kind(of value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case is String: return "a string"
        case let number as NSNumber:
            return number.objCType.pointee == CChar(UInt8(ascii: "c")) ? "true or false" : "a number"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "\(type(of: value))"
        }
    }
}

/// One JSON text, parsed or not.
package enum JSONParse {
    case value(Any)
    /// Why the text is not JSON.
    case invalid(String)
}

package struct JSONCellProblem: Error {
    package var path: String
    package var message: String
}

/// The cells of `record` for `columns`, and the first problem of the row if any.
package func jsonRow(number: Int, record: JSONRecord, columns: [String]) -> SourceRow {
    var cells: [Cell] = []
    cells.reserveCapacity(columns.count)
    var problems: [String] = []
    for column in columns {
        switch record.cell(at: column) {
        case .success(let cell): cells.append(cell)
        case .failure(let problem):
            cells.append(.missing)
            problems.append(problem.message)
        }
    }
    return SourceRow(number: number, cells: cells, problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
}

/// The resolved path of a `path:` option, checked to be a file, as every file source needs.
package func existingFile(
    _ dataset: DatasetConfig, project: ProjectConfig, source: String, example: String
) throws -> (written: String, resolved: String) {
    guard let written = dataset.option("path"), !written.isEmpty else {
        throw Diagnostic(
            "dataset '\(dataset.name)' (source: \(source)) has no path", at: dataset.location,
            hint: "add `path: \(example)`, relative to \(project.file)")
    }
    let resolved = project.resolve(written)
    if let problem = FileKind.problem(reading: resolved, shown: resolved) {
        throw Diagnostic(
            "dataset '\(dataset.name)': \(problem.message)", at: dataset.optionLocation("path"), hint: problem.hint)
    }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isFolder) else {
        let folder = (resolved as NSString).deletingLastPathComponent
        let siblings = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        let hint =
            nearestName(to: (resolved as NSString).lastPathComponent, in: siblings).map { "did you mean \"\($0)\"?" }
            ?? "paths are relative to the folder of \(project.file)"
        throw Diagnostic(
            "dataset '\(dataset.name)': file not found: \(resolved)", at: dataset.optionLocation("path"), hint: hint)
    }
    guard !isFolder.boolValue else {
        throw Diagnostic(
            "dataset '\(dataset.name)': \(resolved) is a folder, not a file", at: dataset.optionLocation("path"),
            hint: "name the file, e.g. \(example)")
    }
    return (written, resolved)
}

package func readFile(_ path: String, origin: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw Diagnostic("cannot read \(origin)", place: origin, hint: "check that the file exists and is readable")
    }
    return data
}

package func modificationDate(of path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
}
