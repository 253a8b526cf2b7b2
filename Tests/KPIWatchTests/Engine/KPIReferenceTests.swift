import Testing

/// KPIs built on KPIs (RULES.md §2): same period, same group where both group alike, else the overall value.
@Suite struct KPIReferenceTests {
    static let rules = """
        kpis:
          - id: opened
            dataset: cases
            date: opened
            period: month
            history: 3
            value: count()
            group_by: [team]
          - id: closed
            dataset: cases
            date: closed
            period: month
            history: 3
            value: count()
            group_by: [team]
          - id: closure_ratio
            value: 100 * kpi.closed / kpi.opened
            group_by: [team]
            unit: percent
          - id: total
            dataset: cases
            period: all
            value: count()
          - id: share_of_all
            value: 100 * kpi.opened / kpi.total
            unit: percent
          - id: opened_per_case
            dataset: cases
            date: opened
            period: month
            value: count() / kpi.total

        """

    @Test func pureKPIsTakePeriodsAndGroupsFromTheirReferences() throws {
        let evaluation = try EngineFixture(rules: Self.rules).evaluate()
        let overall = evaluation.values(of: "closure_ratio")
        #expect(overall.map(\.period) == ["2024-01", "2024-02", "2024-03"])
        // Closed: January C1, C5; February none; March C3 (the 1st), C6 (the 14th). Opened: 1, 3, 1.
        #expect(overall.map(\.value) == [200, 0, 200])
        #expect(overall.allSatisfy { $0.count == nil })
        // North: January 1 closed of 1 opened. In February North closed nothing and in March opened nothing:
        // a group has no value in a period without records, and a missing side gives no value.
        #expect(evaluation.values(of: "closure_ratio", group: ["team": "North"]).map(\.value) == [100, nil, nil])
        // South closed C5 in January but opened nothing then: the group exists, with no value.
        #expect(evaluation.values(of: "closure_ratio", group: ["team": "South"]).map(\.value) == [nil, nil, nil])
        #expect(evaluation.values(of: "closure_ratio", group: ["team": "(blank)"]).count == 3)
    }

    @Test func aReferenceToAnAllKPIIsTheSameValueInEveryPeriod() throws {
        let evaluation = try EngineFixture(rules: Self.rules).evaluate()
        // 100 × 1 / 7, 100 × 3 / 7, 100 × 1 / 7.
        #expect(evaluation.values(of: "share_of_all").map { rounded($0.value, 2) } == [14.29, 42.86, 14.29])
        #expect(rounded(evaluation.current("opened_per_case")?.value, 4) == 0.1429)
    }

    @Test func aCycleBetweenKPIsIsALoadErrorNamingIt() throws {
        let rules = """
            kpis:
              - id: a
                value: kpi.b + 1
              - id: b
                value: kpi.a * 2

            """
        let fixture = EngineFixture(rules: rules)
        #expect {
            _ = try fixture.evaluate()
        } throws: { error in
            let text = "\(error)"
            return text.contains("kpi.a → kpi.b → kpi.a") && text.contains("rules.yaml:3:12")
        }
    }
}
