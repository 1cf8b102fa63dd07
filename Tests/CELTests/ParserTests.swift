import Testing
@testable import CEL

/// Operators, precedence and associativity, selection, calls and aggregate literals.
@Suite struct ParserTests {
    @Test(arguments: [
        ("a + b * c", "_+_(a, _*_(b, c))"),
        ("a * b + c", "_+_(_*_(a, b), c)"),
        ("a - b - c", "_-_(_-_(a, b), c)"),
        ("a / b % c", "_%_(_/_(a, b), c)"),
        ("a + b < c", "_<_(_+_(a, b), c)"),
        ("a < b == c", "_==_(_<_(a, b), c)"),
        ("a == b != c", "_!=_(_==_(a, b), c)"),
        ("a in b == c", "_==_(@in(a, b), c)"),
        ("a <= b && c >= d || e > f", "_||_(_&&_(_<=_(a, b), _>=_(c, d)), _>_(e, f))"),
        ("a || b && c", "_||_(a, _&&_(b, c))"),
        ("a ? b : c ? d : e", "_?_:_(a, b, _?_:_(c, d, e))"),
        ("a || b ? c : d", "_?_:_(_||_(a, b), c, d)"),
        ("(a + b) * c", "_*_(_+_(a, b), c)"),
        ("1 + 2 * 3 - 1 / 2 == 6 % 1", "_==_(_-_(_+_(1, _*_(2, 3)), _/_(1, 2)), _%_(6, 1))"),
        ("false && !true || false ? 2 : 3", "_?_:_(_||_(_&&_(false, !_(true)), false), 2, 3)"),
    ])
    func binaryOperators_followSpecPrecedenceAndAssociativity(source: String, expected: String) {
        #expect(ParserTestSupport.tree(source) == expected)
    }

    @Test func logicalChains_areBalancedLikeCelGo() {
        #expect(ParserTestSupport.tree("a || b || c || d || e || f")
            == "_||_(_||_(_||_(a, b), c), _||_(_||_(d, e), f))")
        #expect(ParserTestSupport.tree("a && b && c && d && e && f && g")
            == "_&&_(_&&_(_&&_(a, b), _&&_(c, d)), _&&_(_&&_(e, f), g))")
    }

    @Test(arguments: [
        ("!a", "!_(a)"),
        ("!!a", "a"),
        ("!!!a", "!_(a)"),
        ("-a", "-_(a)"),
        ("--a", "a"),
        ("-1", "-1"),
        ("- 1", "-1"),
        ("--1", "1"),
        ("---1", "-_(1)"),
        ("4--4", "_-_(4, -4)"),
        ("4--4.1", "_-_(4, -4.1)"),
        ("-1u", "-_(1u)"),
        ("-(1)", "-_(1)"),
        ("!-1", "!_(-1)"),
        ("-2.abs()", "-2.abs()"),
    ])
    func unaryOperators_cancelInPairsAndSignedLiteralsStayConstant(source: String, expected: String) {
        #expect(ParserTestSupport.tree(source) == expected)
    }

    @Test(arguments: [
        ("a.b.c", "a.b.c"),
        ("a[b]", "_[_](a, b)"),
        ("a.b(c)", "a.b(c)"),
        ("a()", "a()"),
        ("a(b, c)", "a(b, c)"),
        ("size(x) == x.size()", "_==_(size(x), x.size())"),
        ("x[\"a\"].single_int32 == 23", "_==_(_[_](x, \"a\").single_int32, 23)"),
        (".a.b", ".a.b"),
        (".f(x)", ".f(x)"),
        ("a.`b-c`", "a.b-c"),
        ("a.`b.c/d e`", "a.b.c/d e"),
        ("[1,3,4][0]", "_[_]([1, 3, 4], 0)"),
        ("{'a': 1}['a']", "_[_]({\"a\": 1}, \"a\")"),
    ])
    func members_selectIndexAndCall(source: String, expected: String) {
        #expect(ParserTestSupport.tree(source) == expected)
    }

    @Test(arguments: [
        ("[]", "[]"),
        ("[a, b, c,]", "[a, b, c]"),
        ("[] + [1,2,3,] + [4]", "_+_(_+_([], [1, 2, 3]), [4])"),
        ("{}", "{}"),
        ("{a: b, c: d,}", "{a: b, c: d}"),
        ("{1:2u, 2:3u}", "{1: 2u, 2: 3u}"),
        ("foo{}", "foo{}"),
        ("foo{ a:b, c:d, }", "foo{a: b, c: d}"),
        ("a.b.Msg{f: 1}", "a.b.Msg{f: 1}"),
        (".a.Msg{f: 1}", ".a.Msg{f: 1}"),
        ("Msg{`f-g`: 1}", "Msg{f-g: 1}"),
        ("Msg{if: true, while: 1}", "Msg{if: true, while: 1}"),
        ("Msg{f: 1}.f", "Msg{f: 1}.f"),
    ])
    func aggregates_parseListsMapsAndMessages(source: String, expected: String) {
        #expect(ParserTestSupport.tree(source) == expected)
    }

    @Test(arguments: [
        ("a.?b", "_?._(a, \"b\")"),
        ("a.?b.?c", "_?._(_?._(a, \"b\"), \"c\")"),
        ("a.?`b-c`", "_?._(a, \"b-c\")"),
        ("m[?k]", "_[?_](m, k)"),
        ("[?a, b, ?c]", "[?a, b, ?c]"),
        ("{?k: v, k2: v2}", "{?k: v, k2: v2}"),
        ("Msg{?f: v}", "Msg{?f: v}"),
    ])
    func optionalSyntax_followsCelGoShapes(source: String, expected: String) {
        #expect(ParserTestSupport.tree(source) == expected)
    }

    @Test func optionalSyntax_whenDisabled_isAnError() {
        var options = ParserOptions()
        options.enableOptionalSyntax = false
        for source in ["a.?b", "m[?k]", "[?a]", "{?k: v}", "Msg{?f: v}"] {
            let result = Parser(options: options).parse(source)
            #expect(result.expr == nil, "\(source)")
            #expect(result.issues.first?.message.hasPrefix("unsupported syntax") == true, "\(source)")
        }
    }

    @Test(arguments: ["as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
                      "loop", "package", "namespace", "return", "var", "void", "while"])
    func reservedWords_areFieldsAndMethodsButNotIdentifiers(word: String) {
        #expect(ParserTestSupport.tree("a.\(word)") == "a.\(word)")
        #expect(ParserTestSupport.tree("a.\(word)()") == "a.\(word)()")
        #expect(ParserTestSupport.tree("Msg{\(word): 1}") == "Msg{\(word): 1}")
        let result = ParserTestSupport.parse("\(word) + 1")
        #expect(result.issues.map(\.message) == ["reserved identifier: \(word)"])
        #expect(ParserTestSupport.parse("\(word)(1)").issues.map(\.message) == ["reserved identifier: \(word)"])
    }

    @Test func whitespaceAndComments_areSkipped() {
        #expect(ParserTestSupport.tree("a // comment\n+\t b\r\n\u{0C}* c // trailing") == "_+_(a, _*_(b, c))")
    }

    @Test func nodeIds_areUniqueAndEveryNodeHasAPosition() throws {
        let source = "a.b[c].exists(x, x > 1) && {1: [2, ?3]}.size() == M{f: -1}.f ? has(a.b) : cel.bind(v, 1, v)"
        let result = ParserTestSupport.parse(source)
        let expr = try #require(result.expr)
        let ids = ParserTestSupport.ids(expr)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(result.sourceInfo.positions[id] != nil, "id \(id) has no position")
        }
    }

    @Test func positions_pointAtTheOperatorOrToken() throws {
        let source = "a +\n  b.c"
        let result = ParserTestSupport.parse(source)
        let expr = try #require(result.expr)
        #expect(result.sourceInfo.positions[expr.id] == 2)
        guard case let .call(_, _, args) = expr.kind else { Issue.record("not a call"); return }
        #expect(result.sourceInfo.positions[args[0].id] == 0)
        // The select node sits at its dot: line 2, column 4.
        let offset = try #require(result.sourceInfo.positions[args[1].id])
        #expect(result.sourceInfo.location(ofOffset: offset) == (2, 4))
        #expect(result.sourceInfo.lineOffsets == [4])
    }
}

/// Offsets to lines and columns.
@Suite struct SourceInfoLocationTests {
    @Test(arguments: [(0, 1, 1), (2, 1, 3), (3, 1, 4), (4, 2, 1), (5, 2, 2), (6, 3, 1), (9, 3, 4)])
    func location_countsLinesAndColumnsFromOne(offset: Int, line: Int, column: Int) {
        // "abc\nd\nefg": lines start at 0, 4 and 6.
        let info = ParserTestSupport.parse("abc\nd\nefg", options: ParserOptions()).sourceInfo
        #expect(info.lineOffsets == [4, 6])
        #expect(info.location(ofOffset: offset) == (line, column))
    }

    @Test func locationOfNode_usesItsRecordedPosition() throws {
        let result = ParserTestSupport.parse("a &&\n  b")
        let expr = try #require(result.expr)
        guard case let .call(_, _, args) = expr.kind else { Issue.record("not a call"); return }
        let location = try #require(result.sourceInfo.location(of: args[1].id))
        #expect(location == (2, 3))
        #expect(result.sourceInfo.location(of: 9_999) == nil)
    }
}
