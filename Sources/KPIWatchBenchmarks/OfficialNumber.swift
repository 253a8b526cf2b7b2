import Foundation
import KPIWatchCore

/// Numbers as DfE and ONS publish them: `1,234`, `46.4`, or a symbol standing for a missing value.
package enum OfficialNumber {
    /// nil for the symbols (`x` not available, `z` not applicable, `c` confidential, `u` low reliability,
    /// `low`, `:`), an empty cell, or any other text that is not a number.
    package static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        guard !trimmed.isEmpty, let number = Double(trimmed), number.isFinite else { return nil }
        return number
    }
}
