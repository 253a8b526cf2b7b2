/// Entries by `type:` name, plus families of types named by a prefix (`plugin:` + a plugin's name) tried when no
/// type matches exactly. What `SourceRegistry` and `SinkRegistry` share. Registration order is kept: it is the order
/// in which messages, `kpiwatch plugins` and the docs list the types.
package struct FactoryTable<Entry: Sendable>: Sendable {
    private var exact: [String: Entry] = [:]
    private var order: [String] = []
    private var prefixed: [(prefix: String, entry: Entry)] = []

    package init() {}

    package mutating func register(_ type: String, _ entry: Entry) {
        if exact.updateValue(entry, forKey: type) == nil { order.append(type) }
    }

    package mutating func registerPrefix(_ prefix: String, _ entry: Entry) {
        prefixed.removeAll { $0.prefix == prefix }
        prefixed.append((prefix, entry))
    }

    /// The exact types in registration order, then each family as `PREFIX` + `NAME`.
    package var types: [String] { order + prefixed.map { $0.prefix + "NAME" } }

    /// Every entry, exact types first, each with the name it is listed under.
    package var entries: [(listedAs: String, entry: Entry)] {
        order.map { ($0, exact[$0]!) } + prefixed.map { ($0.prefix + "NAME", $0.entry) }
    }

    package func entry(for type: String) -> Entry? {
        exact[type] ?? prefixed.first { type.hasPrefix($0.prefix) && type.count > $0.prefix.count }?.entry
    }
}
