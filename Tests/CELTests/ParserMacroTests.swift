import Testing
@testable import CEL

/// Macro expansion shapes, matched against the comprehensions cel-go builds.
@Suite struct ParserMacroTests {
    @Test(arguments: [
        ("has(m.f)", "m.f~test-only"),
        ("m.all(x, p)",
         "__comprehension__(x, m, @result, true, @not_strictly_false(@result), _&&_(@result, p), @result)"),
        ("m.exists(x, p)",
         "__comprehension__(x, m, @result, false, @not_strictly_false(!_(@result)), _||_(@result, p), @result)"),
        ("m.exists_one(x, p)",
         "__comprehension__(x, m, @result, 0, true, _?_:_(p, _+_(@result, 1), @result), _==_(@result, 1))"),
        ("m.map(x, f)", "__comprehension__(x, m, @result, [], true, _+_(@result, [f]), @result)"),
        ("m.map(x, p, f)",
         "__comprehension__(x, m, @result, [], true, _?_:_(p, _+_(@result, [f]), @result), @result)"),
        ("m.filter(x, p)",
         "__comprehension__(x, m, @result, [], true, _?_:_(p, _+_(@result, [x]), @result), @result)"),
    ])
    func standardMacros_expandLikeCelGo(source: String, expected: String) {
        #expect(ParserTestSupport.tree(source, options: ParserOptions()) == expected)
    }

    @Test(arguments: [
        ("cel.bind(v, 1, v + 1)", "__comprehension__(#unused, [], v, 1, false, v, _+_(v, 1))"),
        ("m.all(k, v, p)",
         "__comprehension__(k, v, m, @result, true, @not_strictly_false(@result), _&&_(@result, p), @result)"),
        ("m.exists(k, v, p)",
         "__comprehension__(k, v, m, @result, false, @not_strictly_false(!_(@result)), _||_(@result, p), @result)"),
        ("m.existsOne(k, v, p)",
         "__comprehension__(k, v, m, @result, 0, true, _?_:_(p, _+_(@result, 1), @result), _==_(@result, 1))"),
        ("m.exists_one(k, v, p)",
         "__comprehension__(k, v, m, @result, 0, true, _?_:_(p, _+_(@result, 1), @result), _==_(@result, 1))"),
        ("m.transformList(i, v, f)", "__comprehension__(i, v, m, @result, [], true, _+_(@result, [f]), @result)"),
        ("m.transformList(i, v, p, f)",
         "__comprehension__(i, v, m, @result, [], true, _?_:_(p, _+_(@result, [f]), @result), @result)"),
        ("m.transformMap(k, v, f)",
         "__comprehension__(k, v, m, @result, {}, true, cel.@mapInsert(@result, k, f), @result)"),
        ("m.transformMap(k, v, p, f)",
         "__comprehension__(k, v, m, @result, {}, true, _?_:_(p, cel.@mapInsert(@result, k, f), @result), @result)"),
        ("m.transformMapEntry(k, v, e)",
         "__comprehension__(k, v, m, @result, {}, true, cel.@mapInsert(@result, e), @result)"),
        ("o.optMap(v, v + 1)",
         "_?_:_(o.hasValue(), optional.of(__comprehension__(#unused, [], v, o.value(), false, v, _+_(v, 1))), optional.none())"),
        ("o.optFlatMap(v, f(v))",
         "_?_:_(o.hasValue(), __comprehension__(#unused, [], v, o.value(), false, v, f(v)), optional.none())"),
        ("l.sortBy(e, -e)",
         "__comprehension__(#unused, [], @__sortBy_input__, l, false, @__sortBy_input__, "
            + "@__sortBy_input__.@sortByAssociatedKeys(__comprehension__(e, @__sortBy_input__, @result, [], true, "
            + "_+_(@result, [-_(e)]), @result)))"),
        ("math.greatest(1)", "math.@max(1)"),
        ("math.greatest(a, 2)", "math.@max(a, 2)"),
        ("math.least(1, 2.0, 3u)", "math.@min([1, 2.0, 3u])"),
        ("math.least([1, 2])", "math.@min([1, 2])"),
    ])
    func extensionMacros_expandLikeCelGo(source: String, expected: String) {
        #expect(ParserTestSupport.tree(source) == expected)
    }

    @Test func mathBitwiseMacros_areOptIn() {
        #expect(ParserTestSupport.tree("math.bitOr(1, 2)") == "math.bitOr(1, 2)")
        let options = ParserOptions(macros: Macro.all + Macro.mathBitwise)
        #expect(ParserTestSupport.tree("math.bitOr(1, 2)", options: options) == "math.@bitOr(1, 2)")
        #expect(ParserTestSupport.tree("math.bitAnd(1u, 2u, x)", options: options) == "math.@bitAnd([1u, 2u, x])")
        #expect(ParserTestSupport.tree("math.bitXor(x)", options: options) == "math.@bitXor([x])")
    }

    @Test func namespacedMacros_onOtherTargets_stayCalls() {
        #expect(ParserTestSupport.tree("x.bind(v, 1, v)") == "x.bind(v, 1, v)")
        #expect(ParserTestSupport.tree("x.greatest(1, 2)") == "x.greatest(1, 2)")
        #expect(ParserTestSupport.tree("all(x, p)") == "all(x, p)")
        #expect(ParserTestSupport.tree("m.all(x)") == "m.all(x)")
    }

    @Test func macros_whenDisabled_stayCalls() {
        var options = ParserOptions.extended
        options.enableMacros = false
        #expect(ParserTestSupport.tree("has(a.b) && m.all(x, p)", options: options) == "_&&_(has(a.b), m.all(x, p))")
        #expect(ParserTestSupport.tree("m.all(k, v, p)", options: ParserOptions()) == "m.all(k, v, p)")
    }

    @Test(arguments: [
        ("has(a)", "invalid argument to has() macro", 5),
        ("has(a.?b)", "invalid argument to has() macro", 6),
        ("1.all(2, 3)", "argument must be a simple name", 7),
        ("m.map(x.y, 1)", "argument is not an identifier", 8),
        ("cel.bind(a.b, 1, 2)", "cel.bind() variable names must be simple identifiers", 11),
        ("m.all(k, k, true)", "all() second variable must be different from the first variable", 10),
        ("o.optMap(1, 2)", "optMap() variable name must be a simple identifier", 10),
        ("math.greatest()", "math.greatest() requires at least one argument", 1),
        ("math.least('a')", "math.least() invalid single argument value", 12),
        ("math.least(1, 'a')", "math.least() simple literal arguments must be numeric", 15),
    ])
    func macroMisuse_isReportedAtTheOffendingArgument(source: String, message: String, column: Int) {
        let result = ParserTestSupport.parse(source)
        #expect(result.expr == nil)
        #expect(result.issues.map(\.message) == [message])
        #expect(result.issues.first?.column == column)
    }

    @Test func macroCalls_recordTheOriginalCall() throws {
        let result = ParserTestSupport.parse("[1].exists(x, x > 0)")
        let expr = try #require(result.expr)
        let call = try #require(result.sourceInfo.macroCalls[expr.id])
        #expect(ParserTestSupport.render(call) == "[1].exists(x, _>_(x, 0))")
    }

    @Test func customMacro_receivesFactoryTargetAndArguments() {
        let twice = Macro.receiver("twice", argCount: 0) { factory, target, _ in
            guard let target else { return nil }
            return factory.newCall("_+_", target, factory.copy(target))
        }
        let options = ParserOptions(macros: Macro.standard + [twice])
        #expect(ParserTestSupport.tree("a.b.twice()", options: options) == "_+_(a.b, a.b)")
        let result = Parser(options: options).parse("a.b.twice()")
        if let expr = result.expr {
            let ids = ParserTestSupport.ids(expr)
            #expect(Set(ids).count == ids.count)
        }
    }

    @Test func blockMacros_expandToConformanceRunnerNames() {
        let options = ParserOptions(macros: Macro.all + Macro.block)
        #expect(ParserTestSupport.tree("cel.block([1], cel.index(0) + 1)", options: options)
            == "cel.@block([1], _+_(@index0, 1))")
        #expect(ParserTestSupport.tree("[1].map(cel.iterVar(0, 1), cel.iterVar(0, 1))", options: options)
            == "__comprehension__(@it:0:1, [1], @result, [], true, _+_(@result, [@it:0:1]), @result)")
    }
}
