/// Factories by `type:` name, plus families of types named by a prefix (`plugin:` + a plugin's
/// name) tried when no type matches exactly. What `SourceRegistry` and `SinkRegistry` share.
struct FactoryTable<Factory: Sendable>: Sendable {
    private var exact: [String: Factory] = [:]
    private var prefixed: [(prefix: String, factory: Factory)] = []

    init(_ exact: [String: Factory] = [:]) {
        self.exact = exact
    }

    mutating func register(_ type: String, _ factory: Factory) { exact[type] = factory }

    mutating func registerPrefix(_ prefix: String, _ factory: Factory) { prefixed.append((prefix, factory)) }

    var types: [String] { exact.keys.sorted() + prefixed.map { $0.prefix + "NAME" } }

    func factory(for type: String) -> Factory? {
        exact[type] ?? prefixed.first { type.hasPrefix($0.prefix) && type.count > $0.prefix.count }?.factory
    }
}
