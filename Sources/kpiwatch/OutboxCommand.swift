import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchAlerts
import KPIWatchCore

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List notifications waiting to be sent: held by a quiet time, or not yet delivered."
    )

    @OptionGroup var options: ConfigOption

    func run() throws {
        let project = try loadProject(options)
        let items: [OutboxItem]
        do {
            items = try StateStore.openReadOnly(for: project.config).outbox()
        } catch let error as Diagnostic {
            report([error])
            throw couldNotEvaluate
        }
        if items.isEmpty {
            print("The outbox is empty.")
            return
        }
        var sink = ""
        for item in items {
            if item.sink != sink {
                sink = item.sink
                print("\(sink):")
            }
            let alert = item.notification.alert
            var what = alert.group.keys.sorted().map { "\($0)=\(alert.group[$0]!)" }
            if let key = alert.key { what.append("key=\(key)") }
            var line = "  \(item.notification.status.rawValue)  [\(alert.rule)] \(what.joined(separator: ", "))"
            line += "  attempts \(item.attempts)"
            if let held = item.heldUntil { line += ", held until \(held.iso)" }
            if let error = item.lastError { line += ", last error: \(error)" }
            print(line)
        }
    }
}
