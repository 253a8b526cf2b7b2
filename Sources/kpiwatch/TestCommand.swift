import ArgumentParser
import Foundation
import KPIWatch
import KPIWatchCore
import KPIWatchEngine

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule test files: fixed data in, expected KPI values and alerts out.",
        discussion: """
            Each file names its project (relative to the file) and a list of tests, each with as_of, data \
            (inline rows or a file per dataset; the other datasets are read as the project says) and \
            expect_kpis / expect_alerts. See docs/rules.md. Nothing is sent and no state is kept. \
            Exit status: 0 every test passed, 1 a test failed, 3 a file could not be loaded or a test's \
            data could not be read.
            """
    )

    @Argument(help: "Rule test files (YAML).")
    var files: [String]

    func run() throws {
        var code: Int32 = 0
        let runner = RuleTestRunner(engine: .standard())
        for path in files {
            let file: RuleTestFile
            do {
                file = try RuleTestLoader.load(path: path, engine: .standard())
            } catch let error as Diagnostics {
                report(error.items)
                printError("\(path): not loaded")
                code = 3
                continue
            } catch let error as Diagnostic {
                report([error])
                printError("\(path): not loaded")
                code = 3
                continue
            }
            let outcomes = runner.run(file)
            print(RuleTestReport.render(file: path, outcomes: outcomes), terminator: "")
            if outcomes.contains(where: { !$0.errors.isEmpty }) {
                code = 3
            } else if outcomes.contains(where: { !$0.passed }) {
                code = max(code, 1)
            }
        }
        if code != 0 { throw ExitCode(code) }
    }
}
