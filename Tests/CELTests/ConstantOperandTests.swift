import Testing
@testable import CEL

/// `==`, `!=` and `in` with one constant side run as dedicated nodes; these pin that they keep
/// the general operators' results, including errors from the other side.
@Suite struct ConstantOperandTests {
    let env = Environment(variables: ["x"])

    func eval(_ source: String, _ x: Value) -> Value? {
        env.compile(source).program?.evaluate(["x": x])
    }

    @Test(arguments: [
        (#"x == "a""#, Value.string("a"), Value.bool(true)),
        (#""a" == x"#, .string("b"), .bool(false)),
        (#"x != "a""#, .string("b"), .bool(true)),
        (#""a" != x"#, .string("a"), .bool(false)),
        ("1 == x", .uint(1), .bool(true)),
        ("x == 1.0", .int(1), .bool(true)),
        ("x != 2", .double(2), .bool(false)),
        (#"x == "1""#, .int(1), .bool(false)),
        ("x == null", .null, .bool(true)),
        (#""admin" in x"#, .list([.string("user"), .string("admin")]), .bool(true)),
        (#""root" in x"#, .list([.string("user"), .string("admin")]), .bool(false)),
        ("1 in x", .list([.double(1)]), .bool(true)),
        (#""k" in x"#, .map(MapValue(stringKeyed: [("k", .null)])), .bool(true)),
        ("2 in x", .map(MapValue(stringKeyed: [("k", .null)])), .bool(false)),
    ])
    func constantSide_keepsOperatorResults(source: String, x: Value, expected: Value) {
        #expect(eval(source, x) == expected)
    }

    @Test(arguments: [#"x.missing == "a""#, #""a" != x.missing"#, #""a" in x.missing"#])
    func errorOnTheOtherSide_isTheResult(source: String) {
        let x = Value.map(MapValue(stringKeyed: [("k", .null)]))
        #expect(eval(source, x) == .error(EvalError("no such key: missing")))
    }

    @Test func inOnAValueWithoutMembership_isNoSuchOverload() {
        guard case let .error(e)? = eval(#""a" in x"#, .int(3)) else { Issue.record("expected an error"); return }
        #expect(e.message.contains("no such overload"))
    }
}
