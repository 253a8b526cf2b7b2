import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchAlerts
import KPIWatchCore
import KPIWatchEngine

struct SilenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Hold back matching alerts until a date: they are recorded but not sent.",
        subcommands: [Add.self, List.self, Expire.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a silence; prints its id.")

        @OptionGroup var options: ConfigOption

        @Option(help: "Only alerts of this rule id.")
        var rule: String?

        @Option(
            name: .customLong("match"),
            help: "name=value an alert must have: a label, group field, severity or key (repeatable).")
        var matchers: [String] = []

        @Option(help: "Last day the silence holds (yyyy-MM-dd).")
        var until: String

        @Option(help: "Why: shown by 'silence list'.")
        var comment: String

        func validate() throws {
            if rule == nil && matchers.isEmpty {
                throw ValidationError("a silence needs --rule or --match, or it would hold back every alert")
            }
        }

        func run() throws {
            let project = try loadProject(options)
            let until = try parseDay(self.until, option: "--until")
            var pairs: [String: String] = [:]
            for matcher in matchers {
                let parts = matcher.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw ValidationError("--match '\(matcher)' must be name=value, e.g. --match team=North")
                }
                pairs[parts[0]] = parts[1]
            }
            if let rule {
                let ids = project.compiled.kpiIDs + project.compiled.caseAlertIDs
                guard ids.contains(rule) else {
                    throw ValidationError(
                        "--rule '\(rule)' is not a KPI or case alert id; \(suggestion(for: rule, in: ids, noun: "ids"))"
                    )
                }
            }
            let today = Engine.today(in: project.config.timezone)
            let id = try withStore(project) { store in
                try store.addSilence(
                    Silence(rule: rule, matchers: pairs, until: until, comment: comment, createdOn: today))
            }
            print("silence \(id) added, until \(until.iso)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List silences, active and past.")

        @OptionGroup var options: ConfigOption

        func run() throws {
            let project = try loadProject(options)
            let today = Engine.today(in: project.config.timezone)
            let silences = try withStore(project) { try $0.silences() }
            if silences.isEmpty {
                print("No silences.")
                return
            }
            for silence in silences {
                let state = silence.expired ? "expired" : silence.isActive(on: today) ? "active" : "ended"
                var what = silence.rule.map { ["rule=\($0)"] } ?? []
                what += silence.matchers.keys.sorted().map { "\($0)=\(silence.matchers[$0]!)" }
                print(
                    "\(silence.id ?? 0)  \(state)  until \(silence.until.iso)  \(what.joined(separator: " "))  "
                        + "(\(silence.comment); added \(silence.createdOn.iso))")
            }
        }
    }

    struct Expire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a silence now.")

        @OptionGroup var options: ConfigOption

        @Argument(help: "The silence's id, as 'silence list' shows it.")
        var id: Int64

        func run() throws {
            let project = try loadProject(options)
            guard try withStore(project, { try $0.expireSilence(id: id) }) else {
                throw ValidationError("there is no silence \(id); 'kpiwatch silence list' shows them")
            }
            print("silence \(id) expired")
        }
    }
}

/// Loads the project for a command that only needs its settings, reporting errors as `check` does.
func loadProject(_ options: ConfigOption) throws -> LoadedProject {
    do {
        return try Engine.standard().load(configPath: options.config)
    } catch let error as Diagnostics {
        report(error.items)
        throw couldNotEvaluate
    } catch let error as Diagnostic {
        report([error])
        throw couldNotEvaluate
    }
}

/// Opens the project's state store under the run lock, so a change never interleaves with a running check.
func withStore<T>(_ project: LoadedProject, _ body: (StateStore) throws -> T) throws -> T {
    do {
        let lock = try RunLock(
            statePath: project.config.statePath, configuredAt: project.config.stateLocation, waiting: printError)
        let store = try StateStore.open(for: project.config)
        return try withExtendedLifetime(lock) { try body(store) }
    } catch let error as Diagnostic {
        report([error])
        throw couldNotEvaluate
    }
}
