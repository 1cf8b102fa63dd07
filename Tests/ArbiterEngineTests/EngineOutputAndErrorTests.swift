import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

@Suite struct EngineOutputAndErrorTests {
    let missingKey = cond("R.attr.missing == true") { b in
        let v = resourceAttr(b, "missing")
        if isError(v) { return v }
        return .bool(same(v, .bool(true)))
    }

    @Test func outputs_ruleActivatedWhenTrue_conditionNotMetWhenFalse_errorsCarryMessage() {
        let said = expr("\"yes\"") { _ in .string("yes") }
        let no = expr("\"no\"") { _ in .string("no") }
        let broken = expr("1/0") { _ in .error(EvalError("division by zero")) }
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("t", key: k, actions: ["view"], roles: ["user"], effect: .allow, activated: said, notMet: no),
            rule("f", key: k, actions: ["view"], roles: ["user"], effect: .allow, condition: alwaysFalse, activated: said, notMet: no),
            rule("e", key: k, actions: ["view"], roles: ["user"], effect: .allow, activated: broken),
        ] }])
        let out = check(set, input(actions: ["view"]))
        let bySrc = Dictionary(uniqueKeysWithValues: out.outputs.map { ($0.src, $0) })
        #expect(same(bySrc["resource.doc.vdefault#t"]?.value, .string("yes")))
        #expect(same(bySrc["resource.doc.vdefault#f"]?.value, .string("no")))
        #expect(bySrc["resource.doc.vdefault#e"]?.value == nil)
        #expect(bySrc["resource.doc.vdefault#e"]?.error == "division by zero")
        #expect(out.outputs.allSatisfy { $0.action == "view" })
    }

    @Test func conditionError_countsAsFalse_soADenyRuleFailsOpen_andErrorIsReportedOnce() {
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("allow", key: k, actions: ["view", "edit"], roles: ["user"], effect: .allow),
            rule("deny", key: k, actions: ["view", "edit"], roles: ["user"], effect: .deny, condition: missingKey),
        ] }])
        let out = check(set, input(actions: ["view", "edit"]))
        #expect(out.effect(for: "view")?.effect == .allow)
        #expect(out.effect(for: "edit")?.effect == .allow)
        #expect(out.evaluationErrors == [EvaluationError(expression: "R.attr.missing == true", message: "no such key: missing")])
    }

    @Test func strictEvaluation_deniesActionsWhoseConditionErrored() {
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("allow", key: k, actions: ["view"], roles: ["user"], effect: .allow),
            rule("deny", key: k, actions: ["view"], roles: ["user"], effect: .deny, condition: missingKey),
            rule("list", key: k, actions: ["list"], roles: ["user"], effect: .allow),
        ] }])
        let out = check(set, input(actions: ["view", "list"]), configuration: EngineConfiguration(strictEvaluation: true))
        #expect(out.effect(for: "view") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault"))
        #expect(out.effect(for: "list")?.effect == .allow)
    }

    @Test func evaluationErrors_areDeduplicatedAndSorted() {
        let b = cond("b") { _ in .error(EvalError("no such key: b")) }
        let a = cond("a") { _ in .error(EvalError("no such key: a")) }
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("1", key: k, actions: ["x", "y"], roles: ["user"], effect: .allow, condition: .any([b, a, b])),
        ] }])
        let out = check(set, input(actions: ["x", "y"]))
        #expect(out.evaluationErrors.map(\.expression) == ["a", "b"])
    }

    @Test func variables_evaluateInOrder_andAFailedOneStaysUnset() {
        let first = expr("R.attr.missing") { b in resourceAttr(b, "missing") }
        let second = expr("\"ok\"") { _ in .string("ok") }
        let params = CompiledParams(variables: [.init(name: "bad", expression: first), .init(name: "good", expression: second)])
        let readsVars = cond("V.good == \"ok\" && !has(V.bad)") { b in
            guard case let .object(v) = b.variables else { return .bool(false) }
            return .bool(same(v.field("good"), .string("ok")) && !v.hasField("bad"))
        }
        let set = makeSet(resources: [resourcePolicy("doc", params: params) { k in [
            rule("1", key: k, actions: ["view"], roles: ["user"], effect: .allow, condition: readsVars),
        ] }])
        let out = check(set, input(actions: ["view"]))
        #expect(out.effect(for: "view")?.effect == .allow)
        #expect(out.evaluationErrors == [EvaluationError(expression: "R.attr.missing", message: "no such key: missing")])
    }
}
