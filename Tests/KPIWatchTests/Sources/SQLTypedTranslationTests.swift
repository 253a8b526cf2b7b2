import Foundation
import Testing

@testable import KPIWatch
@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

/// The SQL translator reads a record expression's typed form (`TypedRecordExpression`, the form the columnar
/// evaluator runs): what that form refuses is refused with its reason, and what it folds (a negative list item,
/// a null branch) is pushed down with the in-process values.
@Suite struct SQLTypedTranslationTests {
    static let data = """
        CREATE TABLE cases ("Case" TEXT, "Team" TEXT, "Opened" TEXT, "Days" INTEGER, "Score" REAL, "Note" TEXT);
        INSERT INTO cases VALUES
        ('C1', 'North', '2024-01-31', 20, -1.25, '\u{00A0}x\u{00A0}'),
        ('C2', 'South', '2024-02-29', -1, 2.5, 'X'),
        ('C3', NULL, '2024-03-01', NULL, NULL, NULL),
        ('C4', 'Nörth', '2024-03-15', 12, -1.25, 'y'),
        ('C5', '2024-02-01', '2024-03-20', 3, 0.0, ' x ');
        """

    static let rules = """
        kpis:
          - { id: listed_fields, dataset: cases, period: all, value: 'count(team in [team, "North"])' }
          - { id: text_date, dataset: cases, period: all, value: 'count(date(team) < opened)' }
          - { id: negative_items, dataset: cases, period: all, value: 'count(days in [-1, 20]) + 100 * count(score in [-1.25])' }
          - { id: null_branch, dataset: cases, period: all, value: 'avg(if(days > 10, days, null))' }
          - { id: calendar, dataset: cases, period: all, value: 'count(year(opened) == 2024 and month(opened) == 3)' }
          - { id: padded_ascii, dataset: cases, period: all, value: 'count(lower(note) == "x")' }
          - { id: accented, dataset: cases, period: all, value: 'count(upper(team) == "NORTH")' }
        """

    static func project(_ directory: TemporaryDirectory, pushdown: Bool) -> String {
        directory.write("rules.yaml", rules)
        return directory.write(
            "kpiwatch-\(pushdown).yaml",
            """
            version: 1
            rules: [rules.yaml]
            datasets:
              cases:
                source: sqlite
                path: cases.sqlite
                query: SELECT * FROM cases
                pushdown: \(pushdown)
                fields:
                  case_id: "Case"
                  team: "Team"
                  opened: { column: "Opened", type: date }
                  days: { column: "Days", type: int }
                  score: { column: "Score", type: number }
                  note: "Note"
            """)
    }

    @Test func refusalsOfTheTypedFormAreTheTranslatorsAndItsFoldsArePushedDown() throws {
        let directory = TemporaryDirectory()
        try SQLTestSupport.makeSQLite(at: directory.path + "/cases.sqlite", sql: Self.data)
        let pushed = Self.project(directory, pushdown: true)
        let engine = Engine.standard()
        let plans = engine.explainPlan(try engine.load(configPath: pushed), asOf: Day(iso: "2024-06-30")!)
        let decisions = Dictionary(uniqueKeysWithValues: plans[0].decisions.map { ($0.kpi, $0) })
        #expect(decisions["listed_fields"]?.reason == "'in' with a list of expressions is evaluated in process")
        #expect(decisions["text_date"]?.reason == "date(…) of a text field is evaluated in process")
        #expect(decisions["negative_items"]?.sql?.contains("IN (-1, 20)") == true)
        #expect(decisions["null_branch"]?.sql?.contains("ELSE NULL END") == true)
        #expect(decisions["calendar"]?.sql?.contains("strftime('%Y'") == true)
        // Trimmed of its no-break spaces, every note is ASCII; a team is not.
        #expect(decisions["padded_ascii"]?.sql != nil, "\(decisions["padded_ascii"]?.reason ?? "")")
        #expect(
            decisions["accented"]?.reason
                == "upper(…) is exact in SQL only on ASCII text, and field 'team' holds other characters")

        let a = try evaluateProject(pushed, asOf: "2024-06-30")
        let b = try evaluateProject(Self.project(directory, pushdown: false), asOf: "2024-06-30")
        #expect(a.datasets.allSatisfy { $0.status == .ok && $0.problems.isEmpty })
        SQLTestSupport.expectSameValues(a, b)
        #expect(a.current("negative_items")?.value == 202)
        #expect(a.current("null_branch")?.value == 16)
        #expect(a.current("padded_ascii")?.value == 3)
    }

    /// A field the typed form numbers is read as the mapping's SQL for that field, whatever its slot.
    @Test func aTypedExpressionIsTranslatedFromItsFieldsSlots() throws {
        let translator = SQLExpressionTranslator(
            dialect: .postgres,
            fields: ["b": .init(sql: "src.\"B\"", type: .int), "a": .init(sql: "src.\"A\"", type: .string)],
            asOf: "DATE '2024-06-30'", benchmarks: [:], asciiFields: ["a"])
        let node = try PushdownPlanner.parse(
            LocatedText("lower(a) == \"x\" and b / 2 > 1", origin: TextOrigin(file: "t", line: 1, column: 1)))
        let sql = try translator.translate(node).sql
        #expect(sql.contains("lower((") && sql.contains("src.\"A\"") && sql.contains("COLLATE \"C\""), "\(sql)")
        #expect(sql.contains("CAST(src.\"B\" AS DOUBLE PRECISION) / NULLIF(CAST(2 AS DOUBLE PRECISION), 0)"), "\(sql)")
        #expect(throws: PushdownRefusal.self) {
            try SQLExpressionTranslator(
                dialect: .postgres, fields: translator.fields, asOf: translator.asOf, benchmarks: [:], asciiFields: []
            ).translate(node)
        }
    }
}
