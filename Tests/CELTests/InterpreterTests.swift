import Testing
@testable import CEL

@Suite struct InterpreterTests {
    let env = Environment(variables: ["request", "x", "a.b", "a.b.c"])

    func eval(_ build: (inout ExprBuilder) -> Expr, _ bindings: [String: Value] = [:]) -> Value {
        var b = ExprBuilder()
        let e = build(&b)
        return env.program(for: e).evaluate(env.makeActivation(bindings))
    }

    @Test func arithmetic_intOverflow_isAnError() {
        let v = eval { $0.call("_+_", $0.int(.max), $0.int(1)) }
        #expect(v == .err("integer overflow"))
    }

    @Test func arithmetic_mixedIntAndUint_hasNoOverload() {
        let v = eval { $0.call("_+_", $0.int(1), $0.uint(2)) }
        guard case let .error(e) = v else { Issue.record("expected error, got \(v)"); return }
        #expect(e.message.contains("no such overload"))
    }

    @Test func division_byZero_reportsCelGoMessage() {
        #expect(eval { $0.call("_/_", $0.int(1), $0.int(0)) } == .err("division by zero"))
        #expect(eval { $0.call("_%_", $0.int(1), $0.int(0)) } == .err("modulus by zero"))
    }

    @Test func logicalOr_absorbsErrorWhenOtherSideIsTrue() {
        let errorThenTrue = eval { $0.call("_||_", $0.call("_/_", $0.int(1), $0.int(0)), $0.bool(true)) }
        let trueThenError = eval { $0.call("_||_", $0.bool(true), $0.call("_/_", $0.int(1), $0.int(0))) }
        #expect(errorThenTrue == .bool(true))
        #expect(trueThenError == .bool(true))
        let falseAndError = eval { $0.call("_&&_", $0.call("_/_", $0.int(1), $0.int(0)), $0.bool(false)) }
        #expect(falseAndError == .bool(false))
    }

    @Test func equality_isHeterogeneousAcrossNumericKinds() {
        #expect(eval { $0.call("_==_", $0.int(1), $0.double(1.0)) } == .bool(true))
        #expect(eval { $0.call("_==_", $0.uint(1), $0.int(1)) } == .bool(true))
        #expect(eval { $0.call("_==_", $0.string("1"), $0.int(1)) } == .bool(false))
        #expect(eval { $0.call("_<_", $0.int(1), $0.double(1.5)) } == .bool(true))
    }

    @Test func selectChain_readsNestedMaps() {
        let request = Value.map(MapValue(stringKeyed: [
            ("principal", .map(MapValue(stringKeyed: [("id", .string("alice"))]))),
            ("resource", .map(MapValue(stringKeyed: [("attr", .map(MapValue(stringKeyed: [("owner", .string("alice"))])))]))),
        ]))
        let v = eval({ b in
            b.call("_==_", b.select(b.select(b.select(b.ident("request"), "resource"), "attr"), "owner"),
                   b.select(b.select(b.ident("request"), "principal"), "id"))
        }, ["request": request])
        #expect(v == .bool(true))
    }

    @Test func missingMapKey_isNoSuchKeyError() {
        let v = eval({ b in b.select(b.ident("x"), "nope") }, ["x": .map(MapValue())])
        #expect(v == .err("no such key: nope"))
    }

    @Test func qualifiedIdentifier_longestDeclaredNameWins() {
        let v = eval({ b in b.select(b.select(b.ident("a"), "b"), "c") },
                     ["a.b.c": .string("yeah"), "a.b": .map(MapValue(stringKeyed: [("c", .string("no"))]))])
        #expect(v == .string("yeah"))
    }

    @Test func has_onMap_testsKeyPresence() {
        let m = Value.map(MapValue(stringKeyed: [("k", .int(1))]))
        #expect(eval({ b in b.select(b.ident("x"), "k", testOnly: true) }, ["x": m]) == .bool(true))
        #expect(eval({ b in b.select(b.ident("x"), "z", testOnly: true) }, ["x": m]) == .bool(false))
    }

    @Test func exists_overList_findsMatch() {
        let v = eval { b in
            b.exists(b.list(b.string("private"), b.string("public")), "t") { b in
                b.member(b.ident("t"), "startsWith", b.string("pub"))
            }
        }
        #expect(v == .bool(true))
    }

    @Test func exists_withErrorAndTrue_isTrue() {
        let v = eval { b in
            b.exists(b.list(b.int(0), b.int(1)), "i") { b in
                b.call("_==_", b.call("_/_", b.int(1), b.ident("i")), b.int(1))
            }
        }
        #expect(v == .bool(true))
    }

    @Test func map_macro_transformsEachElement() {
        let v = eval { b in b.map(b.list(b.int(1), b.int(2), b.int(3)), "n") { b in b.call("_*_", b.ident("n"), b.int(2)) } }
        #expect(v == .list([.int(2), .int(4), .int(6)]))
    }

    @Test func matches_withConstantPattern_usesRE2() {
        #expect(eval { b in b.member(b.string("hello world"), "matches", b.string("^h.*d$")) } == .bool(true))
        #expect(eval { b in b.member(b.string("hello"), "matches", b.string("x+")) } == .bool(false))
        guard case .error = eval({ b in b.member(b.string("hello"), "matches", b.string("(")) }) else {
            Issue.record("invalid pattern must be an error"); return
        }
    }

    @Test func size_countsCodePoints() {
        #expect(eval { b in b.call("size", b.string("héllo✌")) } == .int(6))
    }

    @Test func in_list_andMapKeys() {
        #expect(eval { b in b.call("@in", b.string("admin"), b.list(b.string("user"), b.string("admin"))) } == .bool(true))
        #expect(eval { b in b.call("@in", b.double(1.0), b.list(b.int(1))) } == .bool(true))
    }

    @Test func undeclaredVariable_isAnErrorValue() {
        guard case .error = eval({ b in b.ident("nope") }) else { Issue.record("expected error"); return }
    }
}
