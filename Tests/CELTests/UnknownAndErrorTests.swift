import Testing
@testable import CEL

@Suite struct UnknownAndErrorTests {
    let env = Environment(variables: ["u", "x"])

    func eval(_ source: String, _ bindings: [String: Value]) -> Value? {
        env.compile(source).program?.evaluate(bindings)
    }

    @Test func unknowns_areAbsorbedByLogicLikeErrors() {
        let u = Value.unknown(UnknownSet([7]))
        #expect(eval("u && false", ["u": u]) == .bool(false))
        #expect(eval("u || true", ["u": u]) == .bool(true))
        #expect(eval("u && true", ["u": u]) == u)
    }

    @Test func unknowns_winOverErrorsAndMergeInStrictCalls() {
        let u = Value.unknown(UnknownSet([7]))
        #expect(eval("u || x / 0 == 1", ["u": u, "x": .int(1)]) == u)
        #expect(eval("u + x", ["u": u, "x": .unknown(UnknownSet([9]))]) == .unknown(UnknownSet([7, 9])))
    }

    @Test func dynArguments_dispatchOnRuntimeKinds() {
        #expect(eval("x + x", ["x": .string("ab")]) == .string("abab"))
        #expect(eval("x + x", ["x": .uint(2)]) == .uint(4))
        guard case let .error(e)? = eval("x + u", ["x": .int(1), "u": .string("a")]) else {
            Issue.record("mixed kinds must be an error"); return
        }
        #expect(e.message.contains("no such overload"))
    }

    @Test func comprehension_errorInStepIsAbsorbedByLaterTrue() {
        #expect(eval("[0, 1].exists(i, 1 / i == 1)", [:]) == .bool(true))
        guard case .error? = eval("[0, 1].all(i, 1 / i == 1)", [:]) else { Issue.record("expected error"); return }
    }
}

/// Found by the differential test against cel-cpp: plan-time folding of a constant list
/// literal kept an error element inside the list instead of making the literal the error.
@Test func constantListLiteral_withAnErrorElement_isThatError() {
    let env = Environment()
    for source in [#"[int("x"), 1]"#, #"[1, 2 / 0]"#, #"size([int("x")]) == 1"#] {
        guard let program = env.compile(source).program else {
            Issue.record("\(source) did not compile")
            continue
        }
        guard case .error = program.evaluate([:]) else {
            Issue.record("\(source) should evaluate to an error")
            continue
        }
    }
}
