import Testing
@testable import CEL

/// Parses and checks `source`; records a test issue when it does not parse.
func checkExpression(_ source: String, declarations: Declarations = .standardWithExtensions(),
                     container: String = "") -> (CheckedAST?, [CELIssue]) {
    let parsed = Parser(options: .extended).parse(source)
    guard let expr = parsed.expr else {
        Issue.record("\(source) does not parse: \(parsed.issues)")
        return (nil, parsed.issues)
    }
    return Checker.check(expr, sourceInfo: parsed.sourceInfo, declarations: declarations, container: container)
}

@Suite struct CheckerTypeDeductionTests {
    @Test(arguments: [
        ("1 + 2", "int"), ("1u * 3u", "uint"), ("1.5 / 2.0", "double"), ("'a' + 'b'", "string"),
        ("b'a' + b'b'", "bytes"), ("null", "null_type"), ("[1, 2]", "list(int)"), ("[1, 'a']", "list(dyn)"),
        ("[]", "list(dyn)"), ("{}", "map(dyn, dyn)"), ("{'a': 1, 'b': 2}", "map(string, int)"),
        ("{'a': 1, 2: 'b'}", "map(dyn, dyn)"), ("int", "type(int)"), ("type(1)", "type(int)"),
        ("type", "type(type)"), ("size('abc')", "int"), ("'abc'.size()", "int"),
        ("[1, 2].exists(x, x > 1)", "bool"), ("[1, 2].map(x, x * 2 > 1)", "list(bool)"),
        ("[1, 2].filter(x, x > 1)", "list(int)"), ("{'a': 1}.all(k, k == 'a')", "bool"),
        ("has({'a': 1}.a)", "bool"), ("{'a': [1]}.a", "list(int)"), ("[[1]][0][0]", "int"),
        ("{'a': {'b': true}}['a']['b']", "bool"), ("true ? 1 : 2", "int"), ("true ? 1 : dyn('a')", "dyn"),
        ("dyn(1) + 1", "int"), ("dyn(1) + dyn(2)", "dyn"),
        ("timestamp('2020-01-01T00:00:00Z') - duration('1h')", "google.protobuf.Timestamp"),
        ("timestamp('2020-01-01T00:00:00Z').getFullYear('UTC')", "int"),
        ("optional.of(1)", "optional_type(int)"), ("optional.none()", "optional_type(dyn)"),
        ("optional.of(1).orValue(2)", "int"), ("{'a': 1}.?a", "optional_type(int)"),
        ("[1, 2][?0]", "optional_type(int)"), ("[?optional.of(1), 2]", "list(int)"),
        ("{?'a': optional.of(1)}", "map(string, int)"), ("[1, 2].transformList(i, v, i + v)", "list(int)"),
        ("{'a': 1}.transformMap(k, v, v + 1)", "map(string, int)"), ("cel.bind(x, 'a', x + x)", "string"),
        ("math.greatest(1, 2)", "int"), ("math.greatest(1, 2.0)", "dyn"), ("'a,b'.split(',')", "list(string)"),
        ("ip('::1')", "net.IP"), ("cidr('10.0.0.0/8').containsIP(ip('10.0.0.1'))", "bool"),
        ("1 < 1.5", "bool"), ("1u >= -1", "bool"), ("[1] + [2]", "list(int)"), ("[] + [1.0]", "list(double)"),
    ])
    func deducedType_matchesCelGo(source: String, expected: String) {
        let (ast, issues) = checkExpression(source)
        #expect(issues.isEmpty, "\(source): \(issues)")
        #expect(ast?.resultType.description == expected, "\(source)")
    }

    @Test func wrapperTypes_acceptTheirPrimitiveAndNull() {
        var d = Declarations.standard()
        d.add(VariableDecl("w", .wrapper(.int)))
        #expect(checkExpression("w + 1 == 2 && w != null", declarations: d).1.isEmpty)
        #expect(checkExpression("w + 1u", declarations: d).1.map(\.message)
            == ["found no matching overload for '_+_' applied to '(wrapper(int), uint)'"])
    }

    @Test func everyNodeHasAType() throws {
        let (ast, _) = checkExpression("[1, 2].exists(x, x > 1) && {'a': 'b'}.a == 'b'")
        let checked = try #require(ast)
        var ids: [Int64] = []
        func walk(_ e: Expr) {
            ids.append(e.id)
            switch e.kind {
            case .constant, .ident: break
            case let .select(operand, _, _): walk(operand)
            case let .call(target, _, args): target.map(walk); args.forEach(walk)
            case let .list(elements, _): elements.forEach(walk)
            case let .map(entries): entries.forEach { walk($0.key); walk($0.value) }
            case let .structure(_, fields): fields.forEach { walk($0.value) }
            case let .comprehension(c):
                [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].forEach(walk)
            }
        }
        walk(checked.expr)
        for id in ids { #expect(checked.typeMap[id] != nil, "node \(id) has no type") }
    }
}

@Suite struct CheckerDiagnosticsTests {
    @Test(arguments: [
        ("x + 1", "1:1: undeclared reference to 'x' (in container '')"),
        ("1 + 'a'", "1:3: found no matching overload for '_+_' applied to '(int, string)'"),
        ("1.startsWith('a')", "1:13: found no matching overload for 'startsWith' applied to 'int.(string)'"),
        ("'a'.foo()", "1:8: undeclared reference to 'foo' (in container '')"),
        ("-(5u)", "1:1: found no matching overload for '-_' applied to '(uint)'"),
        ("[1] + ['a']", "1:5: found no matching overload for '_+_' applied to '(list(int), list(string))'"),
        ("1 && true", "1:1: expected type 'bool' but found 'int'"),
        ("1.all(x, x)",
         "1:1: expression of type 'int' cannot be range of a comprehension (must be list, map, or dynamic)"),
        ("'a'.b", "1:4: type 'string' does not support field selection"),
        ("Foo{a: 1}", "1:4: undeclared reference to 'Foo' (in container '')"),
        ("true ? 1 : 'a'", "1:6: found no matching overload for '_?_:_' applied to '(bool, int, string)'"),
        ("[1].map(x, x * 2.0)", "1:14: found no matching overload for '_*_' applied to '(int, double)'"),
        ("int{}", "1:4: 'int' is not a message type"),
        ("[optional.of(1), 2][?0]", nil),
    ] as [(String, String?)])
    func invalidExpression_reportsCelGoWordedIssue(source: String, expected: String?) {
        let (ast, issues) = checkExpression(source)
        if let expected {
            #expect(ast == nil)
            #expect(issues.map(\.description) == [expected], "\(source)")
        } else {
            #expect(issues.isEmpty, "\(source): \(issues)")
        }
    }

    @Test func crossTypeComparisons_areAnOptionThatDefaultsOn() {
        let strict = Declarations.standard(crossTypeNumericComparisons: false)
        let (_, strictIssues) = checkExpression("1 < 1.5", declarations: strict)
        #expect(strictIssues.map(\.message) == ["found no matching overload for '_<_' applied to '(int, double)'"])
        let (ast, issues) = checkExpression("1 < 1.5", declarations: .standard())
        #expect(issues.isEmpty)
        #expect(ast?.referenceMap.values.contains(.function(overloadIDs: ["less_int64_double"])) == true)
    }

    @Test func issuesOnSeveralLines_carryTheirLineAndColumn() {
        let (_, issues) = checkExpression("1 +\n  y +\n  z")
        #expect(issues.map(\.description) == [
            "2:3: undeclared reference to 'y' (in container '')",
            "3:3: undeclared reference to 'z' (in container '')",
        ])
    }
}

/// Literal validators run after a successful check (cel-go's `ASTValidators`), through the
/// environment's validating libraries.
@Suite struct CheckerValidatorTests {
    private func check(_ source: String) -> CompileResult {
        Environment(libraries: [CELExtensions.literalValidation]).compile(source)
    }

    @Test func invalidLiteral_isReportedAtTheLiteralLikeCelGo() {
        let result = check("duration('10s') < duration('1x')")
        #expect(result.program == nil)
        #expect(result.issues.count == 1)
        #expect(result.issues.first.map { "\($0.line):\($0.column)" } == "1:28")
        #expect(result.issues.first?.message.hasPrefix("invalid duration argument") == true)
    }

    @Test func validAndNonLiteralArguments_pass() {
        #expect(check("duration('10s') < duration('5s')").issues.isEmpty)
        #expect(check("['1x'].all(d, duration(d) > duration('1s'))").issues.isEmpty)
    }

    @Test func validators_runOnlyWhenTypeCheckingSucceeds() {
        #expect(check("duration('1x') + 1").issues.map(\.message)
            == ["found no matching overload for '_+_' applied to '(google.protobuf.Duration, int)'"])
    }
}

@Suite struct CheckerDepthTests {
    @Test(arguments: [
        String(repeating: "[", count: 240) + String(repeating: "]", count: 240),
        String(repeating: "(1 + ", count: 240) + "1" + String(repeating: ")", count: 240),
        "a" + String(repeating: ".b", count: 240),
        String(repeating: "[1].map(x, ", count: 80) + "x" + String(repeating: ")", count: 80),
    ])
    func deeplyNestedExpressionAtParserLimit_checksWithoutExhaustingTheStack(source: String) {
        var d = Declarations.standard()
        d.add(VariableDecl("a", .dyn))
        let parsed = Parser(options: .extended).parse(source)
        guard let expr = parsed.expr else {
            Issue.record("does not parse: \(parsed.issues.first.map(\.description) ?? "")")
            return
        }
        let (ast, issues) = Checker.check(expr, sourceInfo: parsed.sourceInfo, declarations: d)
        #expect(issues.isEmpty)
        #expect(ast != nil)
    }
}
