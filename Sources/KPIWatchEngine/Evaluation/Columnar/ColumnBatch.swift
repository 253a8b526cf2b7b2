import KPIWatchCore
import KPIWatchExpressions

/// One value per row of a batch, of one static type. Null is a cleared validity bit (or code −1 for strings,
/// `unknown` for truth values), so that no row carries a `Value` enum through the evaluation.
enum Column {
    /// SQL's three-valued logic: `false`, `true`, `unknown` (null).
    case truth([Truth])
    case int([Int], valid: [Bool])
    case number([Double], valid: [Bool])
    /// Days since 1970-01-01.
    case date([Int], valid: [Bool])
    /// Codes into the dictionary, −1 for null.
    case string([Int32], StringDictionary)

    /// The row's value as the row-at-a-time evaluator gives it.
    func value(at row: Int) -> Value {
        switch self {
        case .truth(let values):
            switch values[row] {
            case .false: return .bool(false)
            case .true: return .bool(true)
            case .unknown: return .null
            }
        case .int(let values, let valid): return valid[row] ? .int(values[row]) : .null
        case .number(let values, let valid): return valid[row] ? .number(values[row]) : .null
        case .date(let values, let valid): return valid[row] ? .date(Day(daysSinceEpoch: values[row])) : .null
        case .string(let codes, let dictionary):
            return codes[row] < 0 ? .null : .string(dictionary.entries[Int(codes[row])])
        }
    }
}

enum Truth: UInt8, Sendable {
    case `false` = 0
    case `true` = 1
    case unknown = 2
}

/// Distinct strings of a column, each given a code once per dataset pass, so that a string function or a
/// comparison with a constant runs once per distinct value, not once per row. Keyed by UTF-8 bytes, as kpiwatch
/// compares strings (Swift's `==` would merge canonically equivalent strings that kpiwatch tells apart).
final class StringDictionary {
    private(set) var entries: [String] = []
    private var codes: [UTF8Key: Int32] = [:]

    func code(of text: String) -> Int32 {
        let key = UTF8Key(text: text)
        if let code = codes[key] { return code }
        let code = Int32(entries.count)
        entries.append(text)
        codes[key] = code
        return code
    }
}

/// A string hashed and compared by its UTF-8 bytes.
struct UTF8Key: Hashable {
    var text: String

    static func == (a: UTF8Key, b: UTF8Key) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }

    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// A batch of records as typed columns: only the fields some columnar expression reads. Built from the rows
/// the reader decoded; a value whose kind does not match its field's declared type (never expected) makes the
/// batch unusable, and the caller falls back to evaluating its rows one by one.
struct ColumnBatch {
    var count: Int
    var columns: [Int: Column]
    /// Distinct for each batch a builder makes (counting up from 0), so that results computed for a batch can be
    /// kept for it and recognised (`ColumnarNodeTable`'s shared subexpressions).
    var generation = 0

    /// Reusable per dataset pass: the string dictionaries live as long as the pass.
    final class Builder {
        let fields: [(index: Int, type: ExprType)]
        private var dictionaries: [Int: StringDictionary] = [:]
        private var generation = 0

        init(fields: [(index: Int, type: ExprType)]) {
            self.fields = fields
            for field in fields where field.type == .string { dictionaries[field.index] = StringDictionary() }
        }

        func build(_ rows: ArraySlice<[Value]>) -> ColumnBatch? {
            var columns: [Int: Column] = [:]
            for field in fields {
                guard let column = column(field.index, field.type, rows) else { return nil }
                columns[field.index] = column
            }
            generation += 1
            return ColumnBatch(count: rows.count, columns: columns, generation: generation)
        }

        private func column(_ index: Int, _ type: ExprType, _ rows: ArraySlice<[Value]>) -> Column? {
            var valid = [Bool](repeating: false, count: rows.count)
            switch type {
            case .date:
                var values = [Int](repeating: 0, count: rows.count)
                for (position, row) in rows.enumerated() {
                    switch row[index] {
                    case .date(let day): (values[position], valid[position]) = (day.daysSinceEpoch, true)
                    case .null: continue
                    default: return nil
                    }
                }
                return .date(values, valid: valid)
            case .int:
                var values = [Int](repeating: 0, count: rows.count)
                for (position, row) in rows.enumerated() {
                    switch row[index] {
                    case .int(let x): (values[position], valid[position]) = (x, true)
                    case .null: continue
                    default: return nil
                    }
                }
                return .int(values, valid: valid)
            case .number:
                var values = [Double](repeating: 0, count: rows.count)
                for (position, row) in rows.enumerated() {
                    switch row[index] {
                    case .number(let x): (values[position], valid[position]) = (x, true)
                    case .null: continue
                    default: return nil
                    }
                }
                return .number(values, valid: valid)
            case .bool:
                var values = [Truth](repeating: .unknown, count: rows.count)
                for (position, row) in rows.enumerated() {
                    switch row[index] {
                    case .bool(let x): values[position] = x ? .true : .false
                    case .null: continue
                    default: return nil
                    }
                }
                return .truth(values)
            case .string:
                guard let dictionary = dictionaries[index] else { return nil }
                var codes = [Int32](repeating: -1, count: rows.count)
                for (position, row) in rows.enumerated() {
                    switch row[index] {
                    case .string(let text): codes[position] = dictionary.code(of: text)
                    case .null: continue
                    default: return nil
                    }
                }
                return .string(codes, dictionary)
            case .null:
                return nil
            }
        }
    }
}
