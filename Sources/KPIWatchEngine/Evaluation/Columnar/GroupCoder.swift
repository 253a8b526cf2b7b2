import KPIWatchCore

/// The group keys of a dataset pass, coded once per batch for every list of `group_by` fields some KPI uses: each
/// row's key becomes a class number, shared by every KPI grouped by the same fields. Two keys share a class exactly
/// when the row evaluator's group dictionary (keyed by `Value`) treats them as one group, so canonically equivalent
/// strings meet as they do there; which spelling names the group stays each KPI's choice (its first record's).
final class GroupCoder {
    private var lists: [[Int]] = []
    private var classes: [[Int32]] = []
    private var fields: [Int: FieldClasses] = [:]
    /// Per list, per field after the first: (class so far, field's class) → class.
    private var combined: [[[Int64: Int32]]] = []

    /// The position of a list of field slots, registered once per KPI at the start of the pass.
    func register(_ list: [Int]) -> Int {
        if let known = lists.firstIndex(of: list) { return known }
        lists.append(list)
        classes.append([])
        combined.append(Array(repeating: [:], count: max(list.count - 1, 0)))
        for field in list where fields[field] == nil { fields[field] = FieldClasses() }
        return lists.count - 1
    }

    /// Every field a registered list reads.
    var fieldSlots: Set<Int> { Set(lists.joined()) }

    /// Codes every registered list's key for every row of `batch`.
    func code(_ batch: ColumnBatch) {
        var byField: [Int: [Int32]] = [:]
        for (field, coder) in fields { byField[field] = coder.classes(of: batch.columns[field]!, count: batch.count) }
        for (position, list) in lists.enumerated() {
            var result = byField[list[0]]!
            for (level, field) in list.dropFirst().enumerated() {
                let next = byField[field]!
                // Out of the class's property for the loop: no exclusivity check per row.
                var table: [Int64: Int32] = [:]
                swap(&table, &combined[position][level])
                for row in 0..<batch.count {
                    let key = Int64(result[row]) << 32 | Int64(UInt32(bitPattern: next[row]))
                    if let known = table[key] {
                        result[row] = known
                    } else {
                        let fresh = Int32(table.count)
                        table[key] = fresh
                        result[row] = fresh
                    }
                }
                swap(&table, &combined[position][level])
            }
            classes[position] = result
        }
    }

    /// The current batch's class of each row for registered list `list`.
    func classes(_ list: Int) -> [Int32] { classes[list] }

    /// Row `row`'s key for list `list`, as the row evaluator would build it.
    func key(_ list: Int, row: Int, in batch: ColumnBatch) -> GroupKey {
        GroupKey(values: lists[list].map { batch.columns[$0]!.value(at: row) })
    }
}

/// One KPI's groups by class: the accumulation's slot of each, made when the group's first record is folded (so a
/// group appears exactly when it does row by row, named by that record's values).
struct GroupSlots {
    private var slots: [Int] = []

    /// `classes` are `groups.classes(list)` for the current batch.
    mutating func slot(
        _ row: Int, classes: [Int32], list: Int, _ groups: GroupCoder, _ batch: ColumnBatch,
        _ accumulation: inout KPIAccumulation
    ) -> Int {
        let groupClass = Int(classes[row])
        if groupClass >= slots.count { slots += Array(repeating: -1, count: groupClass + 1 - slots.count) }
        if slots[groupClass] < 0 {
            slots[groupClass] = accumulation.groupSlot(for: groups.key(list, row: row, in: batch))
        }
        return slots[groupClass]
    }
}

/// The classes of one field's values: a string column's dictionary codes are classed once each, other types
/// value by value.
private final class FieldClasses {
    private var byValue: [Value: Int32] = [:]
    private var byCode: [Int32] = []
    private weak var dictionary: StringDictionary?

    private static func classOf(_ value: Value, in byValue: inout [Value: Int32]) -> Int32 {
        if let known = byValue[value] { return known }
        let fresh = Int32(byValue.count)
        byValue[value] = fresh
        return fresh
    }

    func classes(of column: Column, count: Int) -> [Int32] {
        if case .string(let codes, let dictionary) = column {
            if self.dictionary !== dictionary {
                self.dictionary = dictionary
                byCode = []
            }
            while byCode.count < dictionary.entries.count {
                byCode.append(Self.classOf(.string(dictionary.entries[byCode.count]), in: &byValue))
            }
            let (null, byCode) = (Self.classOf(.null, in: &byValue), self.byCode)
            return codes.map { $0 < 0 ? null : byCode[Int($0)] }
        }
        // Out of the class's property for the loop: no exclusivity check per row.
        var byValue: [Value: Int32] = [:]
        swap(&byValue, &self.byValue)
        defer { swap(&byValue, &self.byValue) }
        return (0..<count).map { Self.classOf(column.value(at: $0), in: &byValue) }
    }
}
