import KPIWatchCore

/// A count with its noun agreeing ("1 case", "2 cases", "1,095 alerts"): every summary line a person reads
/// says it this way, so that none of them reads "1 cases".
package enum Counted {
    /// `plural` for a noun that does not take an "s" ("1 child", "2 children").
    package static func text(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        "\(ValueFormatter.plain(.int(count))) \(count == 1 ? noun : plural ?? noun + "s")"
    }
}
