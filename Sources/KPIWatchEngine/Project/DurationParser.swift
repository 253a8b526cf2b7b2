import Foundation
import KPIWatchCore

/// Durations as users write them in `max_age:` ("90m", "36h", "3d", "2w"), in seconds.
public enum DurationParser {
    public static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]

    /// The number of seconds, or nil if `text` is not a positive duration. Parts may be combined ("1d12h") and a
    /// number may have decimals ("1.5d").
    public static func seconds(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var sawPart = false
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isASCII, character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units[character], let value = Double(number) {
                total += value * unit
                number = ""
                sawPart = true
            } else {
                return nil
            }
        }
        guard sawPart, number.isEmpty, total > 0 else { return nil }
        return total
    }
}
