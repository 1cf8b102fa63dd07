import Testing
import CEL

/// Partial evaluation on parsed source: `x` and `m` are known, anything under `u` is unknown.
@Suite struct PartialEvaluatorTests {
    let env = Environment(variables: ["x", "m", "u"])

    func residual(_ source: String, x: Value = .int(3), m: Value = .map(MapValue(stringKeyed: [
        ("a", .list([.string("admin")])), ("b", .list([.string("viewer")])), ("c", .list([.string("admin")])),
    ]))) throws -> Residual {
        let compiled = env.compile(source)
        let expr = try #require(compiled.expr, "\(compiled.issues)")
        var evaluator = PartialEvaluator(environment: env, activation: env.makeActivation()) { path in
            switch path[0] {
            case "x": return (.value(x), 1)
            case "m": return (.value(m), 1)
            case "u": return (.unknown(path.joined(separator: ".")), path.count)
            default: return nil
            }
        }
        return evaluator.expandingKnownMapIndex(evaluator.evaluate(expr))
    }

    static func call(_ f: String, _ args: Residual...) -> Residual { .call(function: f, target: nil, args: args) }

    @Test func knownParts_foldToValues() throws {
        #expect(try residual("x * 2 + 1 == 7") == .value(.bool(true)))
        #expect(try residual("u.a == x + 1") == Self.call("_==_", .unknown("u.a"), .value(.int(4))))
    }

    @Test func typeNames_areTheEnvironmentsConstants_asInFullEvaluation() throws {
        #expect(try residual("type(x) == int") == .value(.bool(true)))
        #expect(try residual("type(x) == string") == .value(.bool(false)))
        let unknownType = try residual("type(u.a) == string")
        guard case let .call(function, _, args) = unknownType, case .value = args.last else {
            Issue.record("expected a residual comparison with the type value, got \(unknownType)")
            return
        }
        #expect(function == "_==_" && args.first == Self.call("type", .unknown("u.a")))
    }

    @Test func logicalOperators_dropNeutralAndKeepDecidingConstants() throws {
        #expect(try residual("x > 1 && u.a") == .unknown("u.a"))
        #expect(try residual("x > 5 && u.a") == .value(.bool(false)))
        #expect(try residual("x > 5 || u.a") == .unknown("u.a"))
        #expect(try residual("x > 1 || u.a") == .value(.bool(true)))
    }

    @Test func strictCall_withAnErrorArgument_isTheErrorEvenBesideUnknowns() throws {
        guard case .value(.error) = try residual("u.a == x / 0") else {
            Issue.record("expected an error value")
            return
        }
    }

    @Test func memberCall_keepsItsReceiver() throws {
        #expect(try residual(#"u.name.startsWith("a")"#)
            == .call(function: "startsWith", target: .unknown("u.name"), args: [.value(.string("a"))]))
    }

    @Test func comprehensionOverKnownList_unrollsIntoResidualPredicates() throws {
        let r = try residual("[1, 2].exists(i, i == u.n)")
        #expect(r == Self.call("_||_", Self.call("_==_", .value(.int(1)), .unknown("u.n")),
                               Self.call("_==_", .value(.int(2)), .unknown("u.n"))))
    }

    @Test func comprehensionOverUnknownRange_isKeptAsItsMacro() throws {
        let r = try residual("u.tags.all(t, t.size() > x)")
        #expect(r == .macro(name: "all", range: .unknown("u.tags"),
                            bodies: [Self.call("_>_", .call(function: "size", target: .unknown("t"), args: []), .value(.int(3)))],
                            variables: ["t"]))
    }

    @Test func knownMapIndexedByUnknownKey_becomesKeyComparisons() throws {
        let r = try residual(#""admin" in m[u.k]"#)
        #expect(r == Self.call("_||_", Self.call("_==_", .unknown("u.k"), .value(.string("a"))),
                               Self.call("_==_", .unknown("u.k"), .value(.string("c")))))
    }

    @Test func unknownPresenceTest_readsAsTrue() throws {
        #expect(try residual("has(u.a) && u.a > 1") == Self.call("_>_", .unknown("u.a"), .value(.int(1))))
    }
}
