import Foundation
import KPIWatchCore
import KPIWatchEngine

/// `xl/sharedStrings.xml`: the table that text cells (`t="s"`) point into by index. A string with
/// mixed formatting is stored as runs (`<si><r><t>Final </t></r><r><t>EHCP</t></r></si>`) whose
/// texts join into one; phonetic guides (`<rPh>`, Japanese furigana) are not part of the text.
package enum XLSXSharedStrings {
    package static func parse(_ data: Data, describe: String) throws -> [String] {
        let handler = Handler()
        try XMLEvents.parse(data, with: handler, describe: describe)
        return handler.strings
    }

    private final class Handler: XMLEventHandler {
        var strings: [String] = []
        var current = ""
        var inText = false
        var phoneticDepth = 0

        func start(_ name: String, _ attributes: [String: String]) {
            switch name {
            case "si": current = ""
            case "rPh": phoneticDepth += 1
            case "t": inText = phoneticDepth == 0
            default: break
            }
        }

        func end(_ name: String) {
            switch name {
            case "si": strings.append(OOXMLText.decode(current))
            case "rPh": phoneticDepth -= 1
            case "t": inText = false
            default: break
            }
        }

        func text(_ text: String) {
            if inText { current += text }
        }
    }
}
