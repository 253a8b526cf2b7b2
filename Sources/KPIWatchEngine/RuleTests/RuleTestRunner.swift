import Foundation
import KPIWatchCore
import Yams

/// What one test found on one as-of date.
public struct RuleTestOutcome: Sendable {
    public var test: String
    public var location: SourceLocation
    public var asOf: Day
    /// Expectations that did not hold, each at its own line: "expected … got …".
    public var failures: [Diagnostic]
    /// Why the test could not be evaluated (a dataset that did not read); such a test neither passed nor failed.
    public var errors: [String]

    public var passed: Bool { failures.isEmpty && errors.isEmpty }
}

/// Runs a rule test file: each test's data replaces the datasets it names, the project is evaluated as of each
/// date, and every expectation is compared with what the evaluation found. Nothing is sent and no state is kept.
public struct RuleTestRunner: Sendable {
    public var engine: Engine

    public init(engine: Engine) { self.engine = engine }

    public func run(_ file: RuleTestFile) -> [RuleTestOutcome] {
        var outcomes: [RuleTestOutcome] = []
        for test in file.tests {
            let (project, engine) = prepared(test, file: file)
            for day in test.asOf {
                var outcome = RuleTestOutcome(
                    test: test.name, location: test.location, asOf: day, failures: [], errors: [])
                do {
                    let evaluation = try engine.evaluate(project, asOf: day)
                    for dataset in evaluation.datasets where dataset.status != .ok {
                        outcome.errors.append("dataset '\(dataset.name)' (\(dataset.origin)) was not evaluated:")
                        outcome.errors += dataset.problems.map { "  \($0)" }
                    }
                    if outcome.errors.isEmpty {
                        outcome.failures = ExpectationCheck(evaluation: evaluation).check(test)
                    }
                } catch let error as Diagnostics {
                    outcome.errors = error.items.map(\.description)
                } catch {
                    outcome.errors = ["\(error)"]
                }
                outcomes.append(outcome)
            }
        }
        return outcomes
    }

    /// The project with the test's datasets swapped in, and an engine that reads the inline ones.
    private func prepared(_ test: RuleTest, file: RuleTestFile) -> (LoadedProject, Engine) {
        var project = file.project
        var inline: [String: MemorySource] = [:]
        for index in project.config.datasets.indices {
            var dataset = project.config.datasets[index]
            switch test.data[dataset.name] {
            case nil:
                continue
            case .rows(let rows)?:
                inline[dataset.name] = InlineSource.make(
                    rows: rows, dataset: dataset, origin: "\(file.file): inline \(dataset.name)")
            case .file(let path, _)?:
                guard case .mapping(var mapping) = dataset.node.node else { continue }
                // Absolute, so the project's folder is not put in front of a path relative to the test file.
                mapping["path"] = Node(URL(fileURLWithPath: path).standardizedFileURL.path)
                dataset.node.node = .mapping(mapping)
            }
            project.config.datasets[index] = dataset
        }
        return Engine(sources: engine.sources, sinks: engine.sinks).serving(inline, in: project)
    }
}
