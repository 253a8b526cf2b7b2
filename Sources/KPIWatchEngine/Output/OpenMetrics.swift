import KPIWatchCore

/// `kpiwatch check --format openmetrics`: the OpenMetrics text format, for node_exporter's textfile collector and
/// Grafana. One gauge family per KPI, `kpiwatch_ID`, with a sample per period and group: labels `kpi` (the id as
/// written), `period`, `current` ("true" for the current period) and one per group field. Values with no number
/// (no data) have no sample. The states are a family of their own, `kpiwatch_kpi_state`, with a sample of 1 per
/// KPI value labelled with its `state`, so `kpiwatch_kpi_state{state="critical"} == 1` finds every breach. Ends
/// with `# EOF`.
///
/// Family names are what Prometheus' linter accepts: a word of an id that it would read as a unit (`days`,
/// `weeks`: Prometheus wants seconds) is written in the singular, and a name ending like a counter's or a
/// histogram's part (`_total`, `_count`, `_sum`, `_bucket`) gets `_value` after it. The `kpi` label always
/// carries the id unchanged. Label values are escaped as the format asks (`\\`, `\"`, `\n`); HELP text escapes
/// `\\` and `\n`, and writes `"` as `'`, which both the OpenMetrics and the Prometheus parsers accept.
public enum OpenMetrics {
    public static func render(_ evaluation: Evaluation, project: LoadedProject) -> String {
        var out = ""
        var families: [String] = []
        var byID: [String: [KPIResult]] = [:]
        for result in evaluation.results {
            if byID[result.id] == nil { families.append(result.id) }
            byID[result.id, default: []].append(result)
        }
        for id in families {
            let results = byID[id]!
            let name = familyName(id)
            out += "# HELP \(name) \(help("\(results[0].title) (\(results[0].unit.rawValue))"))\n"
            out += "# TYPE \(name) gauge\n"
            for result in results {
                guard let value = result.value, value.isFinite else { continue }
                out += "\(name)\(labels(result)) \(KPIExportContext.number(value))\n"
            }
        }
        let state = "kpiwatch_kpi_state"
        out +=
            "# HELP \(state) The state of each KPI value: 1 for its state (ok, warning, critical, no_data, "
            + "suppressed, stale, error).\n"
        out += "# TYPE \(state) gauge\n"
        for result in evaluation.results {
            out += "\(state)\(labels(result, extra: [("state", result.state.rawValue)])) 1\n"
        }
        return out + "# EOF\n"
    }

    /// Words Prometheus' linter reads as units other than its base units, and the singular it accepts.
    package static let unitWords = [
        "days": "day", "weeks": "week", "hours": "hour", "minutes": "minute", "milliseconds": "millisecond",
        "microseconds": "microsecond", "nanoseconds": "nanosecond", "years": "year", "months": "month",
    ]
    /// Abbreviated units the linter rejects as words of a name.
    package static let abbreviations: Set<String> = [
        "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d",
    ]

    package static func familyName(_ id: String) -> String {
        var words = id.split(separator: "_", omittingEmptySubsequences: false).map { word -> String in
            let lower = word.lowercased()
            if let singular = unitWords[lower] { return singular }
            if abbreviations.contains(lower) { return word + "x" }
            return String(word)
        }
        if let last = words.last, ["total", "count", "sum", "bucket", "created", "info"].contains(last) {
            words.append("value")
        }
        var name = "kpiwatch_" + words.joined(separator: "_")
        name = String(name.unicodeScalars.map { isNameCharacter($0) ? Character($0) : "_" })
        return name
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "_" || scalar == ":"
    }

    /// `{kpi="…",period="…",current="true",team="North"}`; a group field named like one of these labels is
    /// prefixed with `group_`.
    package static func labels(_ result: KPIResult, extra: [(String, String)] = []) -> String {
        var pairs: [(String, String)] = [
            ("kpi", result.id), ("period", result.period), ("current", result.current ? "true" : "false"),
        ]
        let reserved: Set<String> = ["kpi", "period", "current", "state"]
        for field in result.group {
            let name = reserved.contains(field.name) || field.name.hasPrefix("__") ? "group_" + field.name : field.name
            pairs.append((name, field.text))
        }
        pairs += extra
        return "{" + pairs.map { "\($0.0)=\"\(labelValue($0.1))\"" }.joined(separator: ",") + "}"
    }

    package static func labelValue(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n", "\r\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    package static func help(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\n", "\r\n": out += "\\n"
            case "\"": out += "'"
            default: out.append(character)
            }
        }
        return out
    }
}
