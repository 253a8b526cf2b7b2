import Foundation

/// A one-dataset project for hostile-input tests, in a temporary folder: `data` over `data.csv` with an id, a
/// date `opened`, a number `n`, an int `i` and a string `team`, as of 2024-03-15.
struct HostileProject {
    static let header = "id,opened,n,i,team\n"

    let directory = TemporaryDirectory()

    var config: String { (directory.path as NSString).appendingPathComponent("kpiwatch.yaml") }

    /// `path` replaces the dataset's path (an absolute path, a device, a FIFO); `extra` adds dataset keys.
    init(
        rules: String, csv: String = HostileProject.header + "C1,05/01/2024,1,1,North\n", path: String = "data.csv",
        extra: String = ""
    ) {
        directory.write("data.csv", csv)
        directory.write("rules.yaml", rules)
        directory.write(
            "kpiwatch.yaml",
            """
            version: 1
            as_of: 2024-03-15
            rules: [rules.yaml]
            datasets:
              data:
                source: csv
                path: \(path)
                date_format: dd/MM/yyyy
            \(extra)
                fields:
                  id: { column: id, key: true }
                  opened: { column: opened, type: date }
                  n: { column: n, type: number }
                  i: { column: i, type: int }
                  team: team

            """)
    }

    func run(_ command: String, _ arguments: [String] = []) throws -> CommandResult {
        try runKPIWatch([command, "--config", config] + arguments)
    }

    /// The current overall value of KPI `id` from `check --format json`.
    static func value(of id: String, in result: CommandResult) -> Any? {
        for line in result.stdout.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["type"] as? String == "kpi", object["id"] as? String == id,
                object["current"] as? Bool == true, (object["group"] as? [String: Any])?.isEmpty ?? true
            else { continue }
            return object["value"]
        }
        return nil
    }
}

/// One KPI over `data` for all time, with `value` as its value.
func allTimeKPI(_ id: String, value: String, extra: String = "") -> String {
    """
    kpis:
      - id: \(id)
        dataset: data
        period: all
        value: \(value)
    \(extra)
    """
}
