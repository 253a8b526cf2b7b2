/// One key a source or sink type reads from its entry in the project file: the project loader checks it (unknown,
/// missing or of the wrong kind, each at its line and column) before the adapter's factory sees the entry, and
/// `kpiwatch plugins` and the docs' key tables list it.
public struct AdapterKey: Sendable, Hashable {
    public var name: String
    public var type: AdapterKeyType
    public var required: Bool
    /// One line: what the key means, its default.
    public var doc: String

    public init(_ name: String, _ type: AdapterKeyType, required: Bool = false, doc: String) {
        self.name = name
        self.type = type
        self.required = required
        self.doc = doc
    }

    public static func required(_ name: String, _ type: AdapterKeyType, doc: String) -> AdapterKey {
        AdapterKey(name, type, required: true, doc: doc)
    }
}

/// The kind of value a key takes, as far as the loader checks it; ranges and meanings (a path that exists, a URL
/// that is https) are the adapter's to check.
public enum AdapterKeyType: Sendable, Hashable {
    /// Any scalar.
    case text
    case bool
    /// A whole number.
    case integer
    case number
    /// A number of seconds, or a duration such as 30s, 2m or 1h.
    case duration
    /// One of the values listed.
    case oneOf([String])
    /// A list of text, or one text on its own.
    case list
    case mapping

    /// How `kpiwatch plugins` and the docs name it.
    public var description: String {
        switch self {
        case .text: "text"
        case .bool: "true/false"
        case .integer: "whole number"
        case .number: "number"
        case .duration: "duration"
        case .oneOf(let values): values.joined(separator: " | ")
        case .list: "list"
        case .mapping: "mapping"
        }
    }
}
