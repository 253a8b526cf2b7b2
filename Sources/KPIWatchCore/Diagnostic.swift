/// Where in a user's file something is: every error a user can fix names one.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// An error a user can act on: what is wrong, where, and what would be valid.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// A YAML or expression position, e.g. `rules/send/timeliness.yaml:12:18`.
    public var location: SourceLocation?
    /// A place that is not a text position, e.g. `data/assessments.csv, row 14, column "Request Received"`.
    public var place: String?
    public var message: String
    /// What would be valid, e.g. `did you mean 'received'?`.
    public var hint: String?

    public init(
        _ message: String, at location: SourceLocation? = nil, place: String? = nil, hint: String? = nil
    ) {
        self.message = message
        self.location = location
        self.place = place
        self.hint = hint
    }

    /// The single rendering of an error: `file:line:column: error: message (hint)`.
    /// Control characters from a file or the data are escaped (`\u{1B}`): an error line cannot drive the terminal.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " } else if let place { text += "\(place): " }
        text += "error: \(Self.clipped(message))"
        if let hint, !hint.isEmpty { text += "; \(Self.clipped(hint))" }
        return text.escapingControlCharacters
    }

    /// A message or hint that echoes a huge value (a 1 MB `timezone:`) is cut: one error stays one readable line.
    package static func clipped(_ text: String, to limit: Int = 2000) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(limit))) + "… (\(scalars.count - limit) more characters)"
    }
}

extension Diagnostic {
    /// An error about a whole data file (which has no line to point at) with the project-file line that configured
    /// it, so that the user finds both the file and the setting that named it.
    public func configured(at setting: SourceLocation, by what: String) -> Diagnostic {
        guard location == nil else { return self }
        var copy = self
        let origin = "\(what) configured at \(setting)"
        copy.hint = hint.map { $0.isEmpty ? origin : "\($0) (\(origin))" } ?? origin
        return copy
    }
}

/// Several diagnostics at once: `validate` reports every error, not only the first.
public struct Diagnostics: Error, Sendable, CustomStringConvertible {
    public var items: [Diagnostic]

    public init(_ items: [Diagnostic]) { self.items = items }

    public var description: String { items.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while loading so that one bad rule does not hide the next.
public struct DiagnosticCollector: Sendable {
    public private(set) var items: [Diagnostic] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    public mutating func add(_ diagnostic: Diagnostic) { items.append(diagnostic) }

    public mutating func add(contentsOf other: [Diagnostic]) { items.append(contentsOf: other) }

    /// Runs `body`, recording a thrown `Diagnostic`/`Diagnostics` instead of propagating it.
    public mutating func capture<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as Diagnostic {
            items.append(error)
        } catch let error as Diagnostics {
            items.append(contentsOf: error.items)
        } catch {
            items.append(Diagnostic("\(error)"))
        }
        return nil
    }

    public func throwIfAny() throws {
        if !items.isEmpty { throw Diagnostics(items) }
    }
}

/// The candidate closest to a misspelt name, if it is close enough to be what the user meant.
/// Bounded: a name longer than `maxSuggestedLength` bytes is no misspelling, and a candidate whose length differs by
/// more than the allowed distance cannot be within it, so a 1 MB value costs no more than a short one.
public func nearestName(to name: String, in candidates: some Sequence<String>) -> String? {
    guard name.utf8.count <= maxSuggestedLength else { return nil }
    let target = Array(name.lowercased().utf8)
    let limit = max(2, target.count / 3)
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let length = candidate.utf8.count
        guard length <= maxSuggestedLength, abs(length - target.count) <= min(limit, best?.distance ?? limit)
        else { continue }
        let distance = editDistance(target, Array(candidate.lowercased().utf8))
        if best == nil || distance < best!.distance { best = (candidate, distance) }
    }
    guard let best else { return nil }
    return best.distance <= limit ? best.name : nil
}

/// Names longer than this are not compared for "did you mean" (the edit distance is quadratic in the length).
package let maxSuggestedLength = 256

/// "did you mean 'x'?" when a near name exists, else the list of what is valid.
public func suggestion(for name: String, in candidates: [String], noun: String = "") -> String {
    if let near = nearestName(to: name, in: candidates) { return "did you mean '\(near)'?" }
    if candidates.isEmpty { return "" }
    let sorted = candidates.sorted()
    let shown = sorted.prefix(12).joined(separator: ", ")
    let more = sorted.count > 12 ? ", … (\(sorted.count) in all)" : ""
    return "valid \(noun.isEmpty ? "names" : noun): \(shown)\(more)"
}

/// Optimal-string-alignment distance: adjacent transpositions ("recieved") count as one edit.
package func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var twoBack = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], twoBack[j - 2] + 1)
            }
        }
        (twoBack, previous, current) = (previous, current, twoBack)
    }
    return previous[b.count]
}

extension String {
    /// The text with every control character (C0 but tab, DEL, C1) and every bidirectional-override character
    /// written as `\u{…}`, so that text from a file or the data shows what it holds and cannot drive a
    /// terminal (escape sequences), rewrite a line (carriage return) or reorder what is shown.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: String.needsEscape) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if String.needsEscape(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    package static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: return true
        default: return false
        }
    }
}
