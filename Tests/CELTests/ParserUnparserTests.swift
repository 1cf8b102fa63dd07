import Testing
@testable import CEL

/// The unparser writes trees back as CEL that parses to the same tree.
@Suite struct ParserUnparserTests {
    private func unparsed(_ source: String) throws -> String {
        let result = ParserTestSupport.parse(source)
        let expr = try #require(result.expr, "\(result.renderedIssues(source: source))")
        return try Unparser.unparse(expr, sourceInfo: result.sourceInfo)
    }

    @Test(arguments: [
        ("a+b*c", "a + b * c"),
        ("(a+b)*c", "(a + b) * c"),
        ("a-(b-c)", "a - (b - c)"),
        ("(a-b)-c", "a - b - c"),
        ("a || (b || c)", "a || b || c"),
        ("(a ? b : c) ? d : e", "(a ? b : c) ? d : e"),
        ("a ? b : (c ? d : e)", "a ? b : (c ? d : e)"),
        ("!(a && b)", "!(a && b)"),
        ("-x.y", "-x.y"),
        ("(a + b).size()", "(a + b).size()"),
        ("(a + b)[0]", "(a + b)[0]"),
        ("a.?b[?0]", "a.?b[?0]"),
        ("[1, ?x, 'a']", "[1, ?x, \"a\"]"),
        ("{'k': 1u, ?2: 2.5}", "{\"k\": 1u, ?2: 2.5}"),
        ("pkg.Msg{f: 1, ?`g-h`: 2}", "pkg.Msg{f: 1, ?`g-h`: 2}"),
        ("a.`b-c`.`in`", "a.`b-c`.`in`"),
        ("b'\\x00a'", "b\"\\000\\141\""),
        ("'\\n\"\\x01é'", "\"\\n\\\"\\x01é\""),
        ("1.0 + 1e3 + -0.5", "1.0 + 1000.0 + -0.5"),
        ("has(a.b) && l.all(x, x > 0)", "has(a.b) && l.all(x, x > 0)"),
        ("l.map(x, x < 2, x * 2).filter(y, y != 0)", "l.map(x, x < 2, x * 2).filter(y, y != 0)"),
        ("cel.bind(v, [1], v.exists_one(i, i == 1))", "cel.bind(v, [1], v.exists_one(i, i == 1))"),
        ("x in [1, 2] == true", "x in [1, 2] == true"),
        ("-(1)", "-(1)"),
        ("-(-1.5)", "-(-1.5)"),
        ("-(-x)", "-(-x)"),
        ("!(!x)", "!(!x)"),
        ("-1u", "-1u"),
        ("-9223372036854775808", "-9223372036854775808"),
    ])
    func unparse_writesMinimalCanonicalSource(source: String, expected: String) throws {
        #expect(try unparsed(source) == expected)
    }

    @Test func comprehensionWithoutMacroCall_isAFailure() throws {
        var options = ParserOptions()
        options.populateMacroCalls = false
        let result = Parser(options: options).parse("l.all(x, x)")
        let expr = try #require(result.expr)
        #expect(throws: Unparser.Failure.self) { try Unparser.unparse(expr, sourceInfo: result.sourceInfo) }
    }

    /// Every conformance expression survives parse → unparse → parse with the same tree.
    @Test func conformanceExpressions_roundTripThroughTheUnparser() throws {
        var options = ParserOptions.extended
        options.macros += Macro.block
        var checked = 0
        for file in ConformanceData.celSpecFiles() {
            for test in try ConformanceData.cases(in: file) {
                let first = Parser(options: options).parse(test.expr)
                guard let expr = first.expr else { continue }
                let source = try Unparser.unparse(expr, sourceInfo: first.sourceInfo)
                let second = Parser(options: options).parse(source)
                let reparsed = try #require(second.expr, "\(test.name): \(source)\n\(second.renderedIssues(source: source))")
                #expect(ParserTestSupport.render(reparsed) == ParserTestSupport.render(expr),
                        "\(test.file)/\(test.name): \(test.expr) → \(source)")
                checked += 1
            }
        }
        #expect(checked > 2000)
    }
}
