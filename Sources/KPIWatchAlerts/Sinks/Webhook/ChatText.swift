import KPIWatchCore

/// Text from alerts (names, messages, labels: data and rules) made inert for the markup it lands
/// in, and cut to a service's length limit in the unit the service counts.
///
/// Lengths are UTF-16 code units: Slack and Google Chat count characters on JavaScript-like
/// strings, and a UTF-16 count is never below the code-point count, so a text that fits in UTF-16
/// units fits either way. `String.count` (grapheme clusters) is not used: one cluster of a letter
/// and many combining marks, or an emoji family, counts 1 there and far more at the service.
package enum ChatText {
    /// Slack mrkdwn and Google Chat card HTML: `&`, `<` and `>` as entities, so data can neither
    /// mention (`<!channel>`, `<users/all>`), nor link (`<https://…|x>`), nor open a tag.
    package static func entities(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// For fields whose markup has no escape syntax (Google Chat's `text`, which takes
    /// `<users/all>`, `<url|label>`, `*bold*`, `_italic_`, `~strike~` and `` `code` `` but decodes
    /// no entities) or is not documented (Chat's card header): a zero-width space after every `<`
    /// keeps a mention, link or tag from forming, and one around each emphasis marker keeps it
    /// from pairing. The text reads the same.
    package static func brokenMarkup(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<":
                result += "<\u{200B}"
            case "*", "_", "~", "`":
                result += "\u{200B}"
                result.unicodeScalars.append(scalar)
                result += "\u{200B}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The length a service counts.
    package static func length(_ text: String) -> Int { text.utf16.count }

    package static let ellipsis = "…"

    /// `text` escaped by `escape` and at most `limit` UTF-16 units long: when it does not fit,
    /// the longest run of whole characters (grapheme clusters, so an accent or an emoji is never
    /// split from its base) whose escaped form fits with `…` after it. The cut is made before
    /// escaping, so it never falls inside an entity.
    package static func clip(_ text: String, to limit: Int, escape: (String) -> String = { $0 }) -> String {
        let escaped = escape(text)
        guard length(escaped) > limit else { return escaped }
        let room = limit - length(ellipsis)
        guard room > 0 else { return limit >= length(ellipsis) ? ellipsis : "" }
        var kept = ""
        var used = 0
        for character in text {
            let piece = escape(String(character))
            let size = length(piece)
            if used + size > room { break }
            kept += piece
            used += size
        }
        return kept + ellipsis
    }
}
