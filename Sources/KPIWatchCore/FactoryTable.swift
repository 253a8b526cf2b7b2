/// Factories by `type:` name, plus families of types named by a prefix (`plugin:` + a plugin's
/// name) tried when no type matches exactly. What `SourceRegistry` and `SinkRegistry` share.
package struct FactoryTable<Factory: Sendable>: Sendable {
    private var exact: [String: Factory] = [:]
    private var prefixed: [(prefix: String, factory: Factory)] = []

    package init(_ exact: [String: Factory] = [:]) {
        self.exact = exact
    }

    package mutating func register(_ type: String, _ factory: Factory) { exact[type] = factory }

    package mutating func registerPrefix(_ prefix: String, _ factory: Factory) { prefixed.append((prefix, factory)) }

    package var types: [String] { exact.keys.sorted() + prefixed.map { $0.prefix + "NAME" } }

    package func factory(for type: String) -> Factory? {
        exact[type] ?? prefixed.first { type.hasPrefix($0.prefix) && type.count > $0.prefix.count }?.factory
    }
}
