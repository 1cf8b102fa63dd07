import ArbiterPolicy
import CEL
import Testing

/// Cerbos's identifiers (spec §3.1) as the policy compiler declares and the engine binds them.
struct CerbosCELVariablesTests {
    static func bindings() -> EvaluationBindings {
        let b = CerbosCEL.bindings(principalAttr: [("n", .double(110)), ("nothing", .null)])
        b.variables = .object(NamedValues(MapValue(stringKeyed: [("flag", .bool(true))])))
        b.constants = .object(NamedValues(MapValue(stringKeyed: [("limit", .double(3))])))
        b.effectiveDerivedRoles = ["owner", "reader"]
        return b
    }

    @Test(arguments: [
        "V.flag && variables.flag",
        "C.limit == 3 && constants.limit == 3.0",
        "has(V.flag) && !has(V.other)",
        "runtime.effectiveDerivedRoles == ['owner', 'reader'] && runtime.effective_derived_roles == ['owner', 'reader']",
        // JSON numbers are doubles; heterogeneous equality and cross-type ordering apply.
        "P.attr.n == 110 && P.attr.n < 111 && 100 < P.attr.n",
        "P.attr.nothing == null && has(P.attr.nothing)",
        "request.principal == P && request.resource.kind == R.kind",
    ])
    func identifier_behavesAsInCerbos(_ source: String) {
        let v = CerbosCEL.eval(source, Self.bindings())
        #expect(CerbosCEL.isTrue(v), "\(source) gave \(v)")
    }

    @Test func readingAnUndefinedVariable_isCerbosUndefinedFieldError() {
        guard case let .error(e) = CerbosCEL.eval("V.missing == 1", Self.bindings()) else {
            Issue.record("expected an error")
            return
        }
        #expect(e.message == "undefined field 'missing'")
        guard case let .error(g) = CerbosCEL.eval("G.environment == 'test'", Self.bindings()) else {
            Issue.record("expected an error for an empty G")
            return
        }
        #expect(g.message == "undefined field 'environment'")
    }

    @Test func requestClockSlot_isNotAnIdentifier() {
        guard case .failure = CerbosCEL.compile("@now") else {
            Issue.record("`@now` must not compile")
            return
        }
    }

    @Test func undeclaredIdentifier_isACompileError() {
        guard case let .failure(f) = CerbosCEL.compile("wat") else {
            Issue.record("expected a compile error")
            return
        }
        #expect(f.message.contains("undeclared reference to 'wat'"))
    }
}
