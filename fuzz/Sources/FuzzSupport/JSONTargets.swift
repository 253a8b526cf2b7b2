@testable import KPIWatchCore
@testable import KPIWatchSources

/// `source: json`: byte 0 picks the `records:` key path (none, `data`, `data.items`); the rest is
/// the document.
public enum JSONTarget {
    static let recordPaths: [String?] = [nil, "data", "data.items"]

    public static func run(_ input: FuzzInput) {
        let (choice, rest) = input.choice()
        let path = Scratch.write(rest, as: "fuzz.json")
        let records = recordPaths[Int(choice) % recordPaths.count]
        CellSweep.readAll(
            JSONArraySource(path: path, origin: "data/fuzz.json", records: records), what: "the JSON source")
    }
}

/// `source: jsonl`: the input is the file.
public enum JSONLinesTarget {
    public static func run(_ input: FuzzInput) {
        let path = Scratch.write(input.bytes, as: "fuzz.jsonl")
        CellSweep.readAll(JSONLinesSource(path: path, origin: "data/fuzz.jsonl"), what: "the JSONL source")
    }
}
