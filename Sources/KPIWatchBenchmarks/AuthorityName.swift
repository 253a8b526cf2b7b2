import Foundation
import KPIWatchCore

/// The same council is spelt differently across DfE, ONS and the statistical-neighbour model:
/// "Bristol, City of" / "City of Bristol", "County Durham" / "Durham", "Bedford" / "Bedford Borough",
/// "St. Helens" / "St Helens", "Kingston Upon Hull" / "Kingston upon Hull". The key keeps the words that
/// tell councils apart and drops those that only say what kind of council it is.
package enum AuthorityName {
    private static let kindWords: Set<String> = ["city", "of", "county", "borough", "council", "the"]

    package static func key(_ name: String) -> String {
        var words: [String] = []
        var word = ""
        for character in name.lowercased().replacingOccurrences(of: "&", with: " and ") {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        let kept = words.filter { !kindWords.contains($0) }
        // "City of London" is all kind words but "london": never reduce a name to nothing.
        return (kept.isEmpty ? words : kept).joined(separator: " ")
    }
}
