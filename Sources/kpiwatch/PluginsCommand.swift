import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchCore
import KPIWatchEngine
import KPIWatchPlugins

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the plugins found in the project's plugin folders, their kind and their manifest errors."
    )

    @OptionGroup var options: ConfigOption

    func run() throws {
        let project: ProjectConfig
        do {
            project = try Engine.standard().loadConfig(path: options.config)
        } catch let error as Diagnostics {
            report(error.items)
            throw couldNotEvaluate
        }
        let directory = PluginDirectory(project: project)
        let entries = directory.discover()
        print(PluginListing.render(entries, folders: directory.folders))
        if entries.contains(where: { !$0.errors.isEmpty }) { throw couldNotEvaluate }
    }
}
