import KPIWatchCore

/// An upper bound of the width text takes in the report's sans-serif font (DejaVu Sans, Liberation Sans, Arial,
/// Helvetica): charts place labels by it, so that no label overlaps another or leaves the image. Generous on
/// purpose: a label a little shorter than measured only leaves a gap.
public enum TextWidth {
    public static let labelSize = 11.0
    /// The part of the font size above the baseline, and the height of one line.
    public static let ascent = 0.95
    public static let lineHeight = 1.25

    /// Widths in em of DejaVu Sans, the widest of the fonts named, rounded up; other characters count as `wide`.
    private static let narrow: Set<Character> = ["i", "j", "l", "I", "'", "|", ".", ",", ":", ";", " ", "/"]
    private static let wide: Set<Character> = [
        "m", "w", "M", "W", "%", "@", "—", "…", "O", "Q", "G", "C", "D", "H", "N", "U", "▲", "▼", "#", "&", "+", "=",
        "<", ">", "~", "^",
    ]

    public static func of(_ text: String, size: Double) -> Double {
        var em = 0.0
        for character in text {
            if narrow.contains(character) {
                em += 0.36
            } else if wide.contains(character) {
                em += 1.0
            } else if character.isUppercase || character.isNumber {
                em += 0.72
            } else if character.isASCII {
                em += 0.64
            } else {
                em += 1.0
            }
        }
        return em * size
    }

    /// `text` cut to fit `width`, with an ellipsis when it had to be cut.
    public static func fit(_ text: String, width: Double, size: Double) -> String {
        if of(text, size: size) <= width { return text }
        var cut = text
        while !cut.isEmpty && of(cut + "…", size: size) > width { cut.removeLast() }
        return cut + "…"
    }
}
