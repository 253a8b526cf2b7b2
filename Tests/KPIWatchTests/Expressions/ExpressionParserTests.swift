import Testing

@testable import KPIWatchExpressions

@Suite struct ExpressionParserTests {
    private func parsed(_ text: String) throws -> String {
        try ExpressionCompiler.parse(ExpressionFixture.located(text)).description
    }

    @Test func multiplicationBindsTighterThanAddition() throws {
        #expect(try parsed("1 + 2 * 3") == "(+ 1 (* 2 3))")
        #expect(try parsed("(1 + 2) * 3") == "(* (+ 1 2) 3)")
        #expect(try parsed("1 - 2 - 3") == "(- (- 1 2) 3)")
        #expect(try parsed("8 / 4 / 2") == "(/ (/ 8 4) 2)")
    }

    @Test func notBindsTighterThanAndWhichBindsTighterThanOr() throws {
        #expect(try parsed("not a and b") == "(and (not a) b)")
        #expect(try parsed("a or b and c") == "(or a (and b c))")
        #expect(try parsed("not a == b") == "(not (== a b))")
        #expect(try parsed("not not a") == "(not (not a))")
    }

    @Test func unaryMinusBindsTightest() throws {
        #expect(try parsed("-x * 2") == "(* (- x) 2)")
        #expect(try parsed("2 - -3") == "(- 2 (- 3))")
    }

    @Test func comparisonsBindLooserThanArithmetic() throws {
        #expect(try parsed("days_between(a, b) <= 7 * 20") == "(<= days_between(a, b) (* 7 20))")
        #expect(try parsed("a + 1 >= b and c != d") == "(and (>= (+ a 1) b) (!= c d))")
    }

    @Test func parsesListMembership() throws {
        #expect(try parsed(#"team in ["North", 'South']"#) == #"(in team ["North", "South"])"#)
        #expect(try parsed("x not in [1, 2.5]") == "(not in x [1, 2.5])")
        #expect(try parsed("x in []") == "(in x [])")
    }

    @Test func parsesNullTests() throws {
        #expect(try parsed("x is not null") == "(is not null x)")
        #expect(try parsed("not x is null and y is null") == "(and (not (is null x)) (is null y))")
    }

    @Test func parsesLiteralsNamesAndCalls() throws {
        #expect(try parsed(#"date("2023-01-31")"#) == #"date("2023-01-31")"#)
        #expect(try parsed("kpi.requests_12m / benchmark.rate") == "(/ kpi.requests_12m benchmark.rate)")
        #expect(try parsed("true or false or null") == "(or (or true false) null)")
        #expect(try parsed("count()") == "count()")
        #expect(try parsed(#"'it\'s' == "a\"b""#) == #"(== "it's" "a"b")"#)
    }

    @Test func keepsEachNodesSourceRange() throws {
        let node = try ExpressionCompiler.parse(ExpressionFixture.located("a + days_between(b, c)"))
        guard case .binary(.add, _, let call) = node.kind else {
            Issue.record("expected an addition, got \(node)")
            return
        }
        #expect(node.offset == 2)
        #expect(call.range == 4..<22)
    }
}
