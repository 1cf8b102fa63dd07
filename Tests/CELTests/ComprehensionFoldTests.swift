import Testing
@testable import CEL

/// `all` and `exists` run as fused folds (the predicate combined into the accumulator inside
/// the loop); these pin the error and unknown rules the unfused macros had. The two-variable
/// forms are covered by `ExtensionComprehensionTests` and the macros2 conformance file.
@Suite struct ComprehensionFoldTests {
    let env = Environment(variables: ["u", "x"])

    func eval(_ source: String, _ bindings: [String: Value] = [:]) -> Value? {
        env.compile(source).program?.evaluate(bindings)
    }

    func isError(_ v: Value?) -> Bool {
        if case .error? = v { return true }
        return false
    }

    @Test(arguments: [
        ("[0, 1].exists(i, 1 / i == 1)", Value.bool(true)),
        ("[1, 2].exists(i, i == 3)", .bool(false)),
        ("[0, 2].all(i, 1 / i == 1)", .bool(false)),
        ("[1, 1].all(i, i == 1)", .bool(true)),
        ("[].exists(i, i == 1)", .bool(false)),
        ("[].all(i, i == 1)", .bool(true)),
        ("[1, 2, 3].exists_one(i, i > 2)", .bool(true)),
    ])
    func fusedFolds_keepMacroResults(source: String, expected: Value) {
        #expect(eval(source) == expected)
    }

    @Test func exists_errorWithoutATrue_isTheError() {
        #expect(isError(eval("[1, 0].exists(i, 1 / i == 0)")))
        #expect(isError(eval("[0, 1].all(i, 1 / i == 1)")))
    }

    @Test func exists_nonBooleanPredicate_isNoSuchOverload() {
        guard case let .error(e)? = eval("x.exists(i, i)", ["x": .list([.int(1), .int(2)])]) else {
            Issue.record("a non-bool predicate must be an error"); return
        }
        #expect(e.message.contains("no such overload"))
    }

    @Test func unknownPredicate_isUnknownUnlessDecided() {
        let u = Value.unknown(UnknownSet([7]))
        #expect(eval("[1, 2].exists(i, u)", ["u": u]) == u)
        #expect(eval("[1, 2].exists(i, i == 2 || u)", ["u": u]) == .bool(true))
        #expect(eval("[1, 2].all(i, i == 2 && u)", ["u": u]) == .bool(false))
    }

    @Test func decidingValueAfterAnError_winsOverTheError() {
        #expect(eval("[0, 1].all(i, 1 / i == 5)") == .bool(false))
        #expect(eval("[0, 1].exists(i, 1 / i == 1)") == .bool(true))
    }

    @Test func macroShapes_areFused_andAPredicateReadingTheAccumulatorIsNot() {
        let exists = Self.comprehension("[1].exists(i, i == 1)")
        #expect(Planner.fold(of: exists).0 == .exists)
        #expect(Planner.fold(of: Self.comprehension("[1].all(i, i == 1)")).0 == .all)
        #expect(Planner.fold(of: Self.comprehension("[1].exists_one(i, i == 1)")).1 == nil)
        // A predicate that reads the accumulator is left to the general fold (conservatively:
        // the fusion is only proven for predicates independent of it).
        var reading = exists
        guard case let .call(nil, op, args) = reading.loopStep.kind else { Issue.record("unexpected step"); return }
        reading.loopStep = Expr(id: reading.loopStep.id, .call(target: nil, function: op,
                                                               args: [args[0], Expr(id: 999, .ident(reading.accuVar))]))
        #expect(Planner.fold(of: reading).1 == nil)
    }

    static func comprehension(_ source: String) -> Expr.Comprehension {
        guard let ast = Parser().parse(source).expr, case let .comprehension(c) = ast.kind else {
            preconditionFailure("not a comprehension: \(source)")
        }
        return c
    }
}
