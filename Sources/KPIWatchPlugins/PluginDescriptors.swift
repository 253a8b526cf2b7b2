import KPIWatchEngine

/// The `plugin:NAME` families: a plugin's manifest declares its keys, so the factory checks them against it (when it
/// declares any) and the loader leaves them to it.
extension PluginSource {
    public static let descriptor = SourceDescriptor(
        type: "plugin:", summary: "a program in any language in plugins/NAME/ (plugins/README.md)",
        factoryChecksOtherKeys: true, factory: factory)
}

extension PluginSink {
    public static let descriptor = SinkDescriptor(
        type: "plugin:", summary: "a program in any language in plugins/NAME/ (plugins/README.md)",
        factoryChecksOtherKeys: true, factory: factory)
}
