import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine

/// The whole standard pack (and rules/send_extra) on the demo, once with the columnar evaluator deciding every
/// `where` it covers and once with today's row-at-a-time evaluator deciding all of them: every value (bit for
/// bit), count and state of every period and group, and every alert, must be the same.
@Suite struct ColumnarEngineTests {
    @Test func theDemoGivesTheSameResultsWithTheColumnarEvaluatorAsRowByRow() throws {
        let path = TestPaths.repo("examples/demo/kpiwatch.yaml")
        let asOf = Day(iso: "2026-10-31")!
        let columnar = Engine.standard()
        var rowByRow = Engine.standard()
        rowByRow.columnarConditions = false
        let a = try columnar.evaluate(try columnar.load(configPath: path), asOf: asOf)
        let b = try rowByRow.evaluate(try rowByRow.load(configPath: path), asOf: asOf)
        #expect(a.results.count > 1_000)
        #expect(a.results.count == b.results.count)
        for (x, y) in zip(a.results, b.results) {
            let name = "\(x.id) \(x.period) \(x.groupDictionary)"
            #expect(x.id == y.id && x.period == y.period && x.groupDictionary == y.groupDictionary, "\(name)")
            #expect(
                x.value?.bitPattern == y.value?.bitPattern,
                "\(name): \(String(describing: x.value)) vs \(String(describing: y.value))")
            #expect(x.count == y.count, "\(name): count")
            #expect(x.state == y.state, "\(name): state")
        }
        #expect(!a.alerts.isEmpty)
        #expect(a.alerts.map(Self.describe) == b.alerts.map(Self.describe))
        #expect(a.datasets.map(\.rowsRead) == b.datasets.map(\.rowsRead))
    }

    static func describe(_ alert: Alert) -> String {
        "\(alert.rule)|\(alert.severity)|\(alert.key ?? "")|\(alert.group.sorted { $0.key < $1.key })|"
            + "\(alert.labels.sorted { $0.key < $1.key })|\(alert.message)"
    }
}
