import Foundation
import KPIWatchCore
import KPIWatchEngine

/// Finds plugins: every `NAME/plugin.yaml` in the project's `plugins:` folders (default `plugins`,
/// relative to the project file). A folder found earlier in the list wins over a later one of the same name.
public struct PluginDirectory: Sendable {
    /// One plugin folder found, with its manifest or what is wrong with it.
    public struct Entry: Sendable {
        public var name: String
        public var folder: String
        public var manifest: PluginManifest?
        public var errors: [Diagnostic]
    }

    /// Resolved folders, in the order searched.
    public let folders: [String]

    public init(folders: [String]) {
        self.folders = folders
    }

    public init(project: ProjectConfig) {
        self.init(folders: project.pluginFolders.map { project.resolve($0) })
    }

    /// Every plugin found, by name; a name seen twice is kept once (the first) with an error on the second.
    public func discover() -> [Entry] {
        var entries: [Entry] = []
        var seen: [String: String] = [:]
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let pluginFolder = (folder as NSString).appendingPathComponent(name)
                let manifestFile = (pluginFolder as NSString).appendingPathComponent(PluginManifest.fileName)
                guard FileManager.default.fileExists(atPath: manifestFile) else { continue }
                if let first = seen[name] {
                    entries.append(
                        Entry(
                            name: name, folder: pluginFolder, manifest: nil,
                            errors: [
                                Diagnostic(
                                    "plugin '\(name)' is also in \(first); this one is not used", place: manifestFile,
                                    hint: "rename one of the folders")
                            ]))
                    continue
                }
                seen[name] = pluginFolder
                do {
                    entries.append(
                        Entry(name: name, folder: pluginFolder, manifest: try .load(folder: pluginFolder), errors: []))
                } catch let error as Diagnostics {
                    entries.append(Entry(name: name, folder: pluginFolder, manifest: nil, errors: error.items))
                } catch {
                    entries.append(
                        Entry(
                            name: name, folder: pluginFolder, manifest: nil,
                            errors: [Diagnostic("\(error)", place: manifestFile)]))
                }
            }
        }
        return entries
    }

    /// The manifest of `plugin:NAME` used `as` a source or sink, or an error saying what was found instead.
    public func plugin(named name: String, as kind: PluginManifest.Kind, at location: SourceLocation?) throws
        -> PluginManifest
    {
        let entries = discover()
        guard let entry = entries.first(where: { $0.name == name }) else {
            let searched = folders.isEmpty ? "no plugin folders" : folders.joined(separator: ", ")
            let known = entries.filter { $0.manifest?.kind == kind }.map(\.name)
            let near = nearestName(to: name, in: known).map { "did you mean 'plugin:\($0)'? " } ?? ""
            throw Diagnostic(
                "no plugin named '\(name)'", at: location,
                hint: near + "looked for \(name)/\(PluginManifest.fileName) in \(searched)"
                    + (known.isEmpty ? "" : "; \(kind) plugins found: \(known.joined(separator: ", "))")
                    + "; list plugins with `kpiwatch plugins`")
        }
        guard let manifest = entry.manifest else {
            var items = [
                Diagnostic(
                    "plugin '\(name)' cannot be used: its manifest has \(entry.errors.count) error(s)", at: location,
                    hint: "fix \((entry.folder as NSString).appendingPathComponent(PluginManifest.fileName))")
            ]
            items += entry.errors
            throw Diagnostics(items)
        }
        guard manifest.kind == kind else {
            throw Diagnostic(
                "plugin '\(name)' is a \(manifest.kind) plugin, not a \(kind)", at: location,
                hint: manifest.kind == .sink
                    ? "use it under sinks: as type: plugin:\(name)" : "use it under datasets: as source: plugin:\(name)"
            )
        }
        return manifest
    }
}
