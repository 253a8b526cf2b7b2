import Testing

@testable import KPIWatchCore
@testable import KPIWatchEngine
@testable import KPIWatchSources

@Suite struct DatasetReaderTests {
    static let csv = """
        Case Ref,Team,Request Received,Child Name,Weeks
        C1,North,12/01/2023,Alice,3
        C2,South,31/02/2023,Bob,4
        C3,North,2023-03-01,Carol,five
        C4, South ,N/A,Dan,

        C5,North,soon,Eve,x
        """

    func reader(
        _ csv: String = csv, fields: [FieldSpec], onBadRows: BadRowPolicy = .fail, errorLimit: Int = 20
    ) throws -> DatasetReader {
        let project = try CSVFixtures.project(files: ["data/assessments.csv": csv])
        let dataset = try CSVFixtures.dataset(
            "path: data/assessments.csv", fields: fields, nullValues: ["", "N/A"], dateFormat: "dd/MM/yyyy",
            onBadRows: onBadRows, errorLimit: errorLimit)
        return DatasetReader(dataset: dataset, source: try CSVSource(dataset: dataset, project: project))
    }

    static let fields = [
        CSVFixtures.field("case_id", "Case Ref"),
        CSVFixtures.field("team", "Team"),
        CSVFixtures.field("request_date", "Request Received", .date),
        CSVFixtures.field("weeks", "Weeks", .int),
    ]

    @Test func missingColumnIsAnErrorWithTheNearestNameAndTheColumns() throws {
        let fields = [
            CSVFixtures.field("case_id", "Case Ref", line: 10),
            CSVFixtures.field("request_date", "Request Recieved", .date, line: 11),
            CSVFixtures.field("outcome", "Outcome", line: 12),
        ]
        let reader = try reader(fields: fields)
        let error = #expect(throws: Diagnostics.self) { try reader.checkColumns() }
        let items = error?.items ?? []
        #expect(items.count == 2)
        let expected = "dataset 'assessments': column \"Request Recieved\" (field request_date) is not in "
        #expect(items.first?.message == expected + "data/assessments.csv")
        #expect(
            items.first?.hint
                == "did you mean \"Request Received\"? columns are: \"Case Ref\", \"Team\", \"Request Received\", "
                + "\"Child Name\", \"Weeks\"")
        #expect(items.first?.location?.line == 11)
        #expect(items.last?.hint?.hasPrefix("columns are: ") == true)
        #expect(items.last?.location?.line == 12)
    }

    @Test func matchesColumnsIgnoringCaseWhenNoneMatchesExactly() throws {
        let reader = try reader(fields: [CSVFixtures.field("team", " TEAM "), CSVFixtures.field("case_id", "case ref")])
        var teams: [Value] = []
        _ = try reader.read { values, _ in teams.append(values[0]) }
        #expect(teams.first == .string("North"))
    }

    @Test func columnsMatchingOnlyIgnoringCaseTwiceAreAnError() throws {
        let reader = try reader("Team,TEAM\nNorth,South\n", fields: [CSVFixtures.field("team", "team")])
        let error = #expect(throws: Diagnostics.self) { try reader.checkColumns() }
        #expect(error?.items.first?.message.contains("matches \"Team\" and \"TEAM\"") == true)
    }

    @Test func badValuesAreReportedWithFileRowAndColumn() throws {
        let reader = try reader(fields: Self.fields)
        let summary = try reader.read { _, _ in }
        #expect(
            summary.errors.map(\.description) == [
                "data/assessments.csv, row 3, column \"Request Received\": "
                    + "\"31/02/2023\" is not a date in dd/MM/yyyy (or yyyy-MM-dd)",
                "data/assessments.csv, row 4, column \"Weeks\": \"five\" is not a whole number",
                "data/assessments.csv, row 7, column \"Request Received\": "
                    + "\"soon\" is not a date in dd/MM/yyyy (or yyyy-MM-dd)",
                "data/assessments.csv, row 7, column \"Weeks\": \"x\" is not a whole number",
            ])
        #expect(summary.errors.first?.file == "data/assessments.csv")
        #expect(summary.errors.first?.row == 3)
        #expect(summary.errors.first?.column == "Request Received")
    }

    @Test func failPolicyVisitsGoodRowsAndReportsEveryBadOne() throws {
        let reader = try reader(fields: Self.fields, onBadRows: .fail)
        var visited: [(Int, [Value])] = []
        let summary = try reader.read { visited.append(($1, $0)) }
        #expect(summary.rowsRead == 5)
        #expect(summary.rowsSkipped == 3)
        #expect(summary.errorCount == 4)
        #expect(visited.map(\.0) == [2, 5])
        #expect(visited[0].1 == [.string("C1"), .string("North"), .date(Day(iso: "2023-01-12")!), .int(3)])
        #expect(visited[1].1 == [.string("C4"), .string("South"), .null, .null])
    }

    @Test func skipPolicyCountsSkippedRows() throws {
        let reader = try reader(fields: Self.fields, onBadRows: .skip)
        var rows: [Int] = []
        let summary = try reader.read { rows.append($1) }
        #expect(rows == [2, 5])
        #expect(summary.rowsRead == 5)
        #expect(summary.rowsSkipped == 3)
        #expect(summary.errorCount == 4)
    }

    @Test func keepsErrorsUpToTheLimitButCountsThemAll() throws {
        let reader = try reader(fields: Self.fields, errorLimit: 1)
        let summary = try reader.read { _, _ in }
        #expect(summary.errors.count == 1)
        #expect(summary.errorCount == 4)
    }

    @Test func personalValuesNeverAppearInErrors() throws {
        let fields = [
            CSVFixtures.field("case_id", "Case Ref"),
            FieldSpec(
                name: "child_name", column: "Child Name", type: .date, personal: true,
                location: SourceLocation(file: "kpiwatch.yaml", line: 9, column: 7)),
        ]
        let summary = try reader(fields: fields).read { _, _ in }
        #expect(summary.errorCount == 5)
        #expect(summary.errors.allSatisfy { !$0.message.contains("Alice") && !$0.message.contains("Bob") })
    }

    @Test func aRowWithMoreFieldsThanTheHeaderIsADataError() throws {
        let reader = try reader(
            "Case Ref,Team\nC1,North\nC2,North,extra\n", fields: [CSVFixtures.field("case_id", "Case Ref")])
        var rows: [Int] = []
        let summary = try reader.read { rows.append($1) }
        #expect(rows == [2])
        #expect(summary.errorCount == 1)
        #expect(
            summary.errors.first?.description.hasPrefix("data/assessments.csv, row 3: the row has 3 fields") == true)
    }

    @Test func twoFieldsMayShareAColumn() throws {
        let fields = [CSVFixtures.field("team", "Team"), CSVFixtures.field("team_again", "Team")]
        var rows: [[Value]] = []
        _ = try reader(fields: fields).read { values, _ in rows.append(values) }
        #expect(rows.first == [.string("North"), .string("North")])
    }
}
