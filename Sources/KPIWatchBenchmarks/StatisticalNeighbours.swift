import KPIWatchCore
import KPIWatchSources

/// DfE's children's services statistical neighbours: each column is an authority, the rows under its
/// name are its ten nearest neighbours, closest first.
public struct StatisticalNeighbours: Sendable {
    public let file: String
    /// Column name → its neighbours, as the file spells them.
    package let columns: [(name: String, neighbours: [String])]

    /// - Throws: `Diagnostic` when the file cannot be read or has no header.
    public static func read(path: String) throws -> StatisticalNeighbours {
        var parser = CSVParser(bytes: try CSVFile.readAll(path: path, origin: path), file: path)
        var header: [String] = []
        guard try parser.next(into: &header) else {
            throw Diagnostic(
                "\(path) is empty", place: path,
                hint: "expected a header of authority names and their neighbours in the rows below")
        }
        var neighbours = [[String]](repeating: [], count: header.count)
        var record: [String] = []
        while try parser.next(into: &record) {
            for (index, cell) in record.enumerated() where index < header.count && !cell.isEmpty {
                neighbours[index].append(cell)
            }
        }
        return StatisticalNeighbours(file: path, columns: Array(zip(header, neighbours)).map { ($0, $1) })
    }

    /// The neighbours of the authority, matching its name as `AuthorityName` does; nil when the file has
    /// no column for it.
    public func neighbours(of name: String) -> [String]? {
        let key = AuthorityName.key(name)
        return columns.first { AuthorityName.key($0.name) == key }?.neighbours
    }
}
