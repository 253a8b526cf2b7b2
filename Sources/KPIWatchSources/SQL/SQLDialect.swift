import KPIWatchCore

/// The SQL spoken by a database that kpiwatch pushes aggregates down to. Dates are ISO text in
/// SQLite and `date` values in PostgreSQL; everything that differs between the two is here.
public enum SQLDialect: String, Sendable {
    case sqlite, postgres

    package static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    package static func string(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    package func literal(_ value: Value) -> String {
        switch value {
        case .null: return "NULL"
        case .bool(let truth): return truth ? "TRUE" : "FALSE"
        case .int(let number): return String(number)
        case .number(let number):
            let text = String(number)
            let real = text.contains(".") || text.contains("e") ? text : text + ".0"
            return self == .postgres ? "CAST(\(real) AS DOUBLE PRECISION)" : real
        case .string(let text): return Self.string(text)
        case .date(let day): return date(day)
        }
    }

    package func date(_ day: Day) -> String {
        self == .postgres ? "DATE '\(day.iso)'" : "'\(day.iso)'"
    }

    package var real: String { self == .postgres ? "DOUBLE PRECISION" : "REAL" }

    package func toReal(_ sql: String) -> String { "CAST(\(sql) AS \(real))" }

    /// A text column's value as text (PostgreSQL's `varchar` and `char` too).
    package func text(_ sql: String) -> String { self == .postgres ? "CAST(\(sql) AS TEXT)" : sql }

    /// b − a in days, an integer.
    package func daysBetween(_ a: String, _ b: String) -> String {
        switch self {
        case .sqlite: return "CAST(julianday(\(b)) - julianday(\(a)) AS INTEGER)"
        case .postgres: return "CAST((\(b)) - (\(a)) AS BIGINT)"
        }
    }

    package func addDays(_ day: String, _ count: String) -> String {
        switch self {
        case .sqlite: return "date(julianday(\(day)) + (\(count)))"
        case .postgres: return "((\(day)) + CAST(\(count) AS INTEGER))"
        }
    }

    /// Month arithmetic that clamps to the end of a shorter month, like `Day.adding(months:)`.
    package func addMonths(_ day: String, _ count: String) -> String {
        switch self {
        case .sqlite:
            // SQLite's '+N months' overflows into the next month, so the clamp is written out:
            // the same day of the target month, or that month's last day if it is shorter.
            let first = "date(\(day), 'start of month', printf('%+d months', \(count)))"
            let sameDay = "date(\(first), printf('+%d days', \(dayOfMonth(day)) - 1))"
            let last = "date(\(first), '+1 month', '-1 day')"
            return "min(\(sameDay), \(last))"
        case .postgres:
            return "CAST((\(day)) + make_interval(months => CAST(\(count) AS INTEGER)) AS DATE)"
        }
    }

    package func year(_ day: String) -> String {
        self == .sqlite
            ? "CAST(strftime('%Y', \(day)) AS INTEGER)" : "CAST(EXTRACT(YEAR FROM \(day)) AS BIGINT)"
    }

    package func month(_ day: String) -> String {
        self == .sqlite
            ? "CAST(strftime('%m', \(day)) AS INTEGER)" : "CAST(EXTRACT(MONTH FROM \(day)) AS BIGINT)"
    }

    package func dayOfMonth(_ day: String) -> String {
        self == .sqlite ? "CAST(strftime('%d', \(day)) AS INTEGER)" : "CAST(EXTRACT(DAY FROM \(day)) AS BIGINT)"
    }

    package func startOfMonth(_ day: String) -> String {
        self == .sqlite ? "date(\(day), 'start of month')" : "CAST(date_trunc('month', \(day)) AS DATE)"
    }

    package func endOfMonth(_ day: String) -> String {
        self == .sqlite
            ? "date(\(day), 'start of month', '+1 month', '-1 day')"
            : "CAST(date_trunc('month', \(day)) + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)"
    }

    /// Whole months from a to b as `CalendarMath.monthsBetween` counts them: the month difference,
    /// one less when a's day of the month is later than b's, unless b is its month's last day.
    package func monthsBetween(_ a: String, _ b: String) -> String {
        func forward(_ from: String, _ to: String) -> String {
            let months = "((\(year(to)) * 12 + \(month(to))) - (\(year(from)) * 12 + \(month(from))))"
            let short =
                "CASE WHEN \(dayOfMonth(from)) > \(dayOfMonth(to)) AND \(dayOfMonth(to)) < "
                + "\(dayOfMonth(endOfMonth(to))) THEN 1 ELSE 0 END"
            return "(\(months) - \(short))"
        }
        return "(CASE WHEN (\(b)) >= (\(a)) THEN \(forward(a, b)) ELSE -\(forward(b, a)) END)"
    }

    package func isWeekend(_ day: String) -> String {
        self == .sqlite ? "(strftime('%w', \(day)) IN ('0', '6'))" : "(EXTRACT(ISODOW FROM \(day)) >= 6)"
    }

    /// The characters `CellDecoder` trims from text cells: ASCII white space and U+00A0.
    package var cellTrimCharacters: String {
        self == .sqlite
            ? "char(32, 9, 10, 11, 12, 13, 160)"
            : "chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160)"
    }

    /// The ASCII white space `trim(s)` removes (the data is checked to be ASCII first).
    package var asciiWhitespace: String {
        self == .sqlite
            ? "char(32, 9, 10, 11, 12, 13)" : "chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"
    }

    package func trim(_ text: String, characters: String) -> String {
        self == .sqlite ? "trim(\(text), \(characters))" : "btrim(\(text), \(characters))"
    }

    /// Whether a text holds a character outside ASCII.
    package func isNonASCII(_ text: String) -> String {
        self == .sqlite
            ? "(length(\(text)) <> length(CAST(\(text) AS BLOB)))" : "(octet_length(\(text)) <> char_length(\(text)))"
    }

    /// Orders strings by their UTF-8 bytes, as kpiwatch does, whatever the database's collation.
    package func byteOrdered(_ text: String) -> String {
        self == .postgres ? "(\(text) COLLATE \"C\")" : text
    }
}
