import Foundation
import Testing

@testable import KPIWatchEngine

/// A JSON string is written as JSONSerialization reads it back: quotes, backslashes and control characters escaped,
/// everything else (non-ASCII text included) as written, whether or not the string needs an escape at all.
@Suite struct JSONStringTests {
    @Test(arguments: [
        ("", false), ("plain", false), ("Bristol, City of", false), ("Zoë – 日本 /x/ \u{7F}", false),
        ("a \"quoted\" word", true), ("back\\slash", true), ("line\nend\r\ttab", true), ("nul\u{0}unit\u{1F}", true),
    ])
    func everyStringReadsBackAsWritten(_ text: String, needsEscapes: Bool) throws {
        let json = JSONValue.string(text).serialized
        let read = try JSONSerialization.jsonObject(with: Data("[\(json)]".utf8)) as? [String]
        #expect(read == [text])
        #expect(json.unicodeScalars.allSatisfy { $0.value >= 0x20 }, "no raw control character")
        #expect((json == "\"\(text)\"") == !needsEscapes)
    }
}
