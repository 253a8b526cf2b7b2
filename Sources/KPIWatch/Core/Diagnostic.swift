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
    public var description: String {
        var text = ""
        if let location { text += "\(location): " } else if let place { text += "\(place): " }
        text += "error: \(message)"
        if let hint, !hint.isEmpty { text += "; \(hint)" }
        return text
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
public func nearestName(to name: String, in candidates: some Sequence<String>) -> String? {
    let target = Array(name.lowercased().utf8)
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(target, Array(candidate.lowercased().utf8))
        if best == nil || distance < best!.distance { best = (candidate, distance) }
    }
    guard let best else { return nil }
    let limit = max(2, target.count / 3)
    return best.distance <= limit ? best.name : nil
}

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
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
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
