import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchCore
import KPIWatchEngine
import KPIWatchPlugins

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract:
            "List the built-in source and sink types with their keys, then the plugins found in the project's plugin "
            + "folders, their kind and their manifest errors."
    )

    enum KeyTable: String, ExpressibleByArgument, CaseIterable {
        case sources, sinks
    }

    @OptionGroup var options: ConfigOption

    @Option(
        name: .customLong("key-table"),
        help: "Print only the Markdown table of the built-in source or sink types' keys (the tables in docs/).")
    var keyTable: KeyTable?

    func run() throws {
        let engine = Engine.standard()
        switch keyTable {
        case .sources:
            print(AdapterListing.markdown(sources: engine.sources), terminator: "")
            return
        case .sinks:
            print(AdapterListing.markdown(sinks: engine.sinks), terminator: "")
            return
        case nil: break
        }
        let project: ProjectConfig
        do {
            project = try engine.loadConfig(path: options.config)
        } catch let error as Diagnostics {
            report(error.items)
            throw couldNotEvaluate
        }
        print(AdapterListing.text(sources: engine.sources, sinks: engine.sinks))
        print("plugins:")
        let directory = PluginDirectory(project: project)
        let entries = directory.discover()
        print(PluginListing.render(entries, folders: directory.folders))
        if entries.contains(where: { !$0.errors.isEmpty }) { throw couldNotEvaluate }
    }
}
