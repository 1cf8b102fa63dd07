import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

/// Cerbos behaviours that look surprising but are kept for compatibility (spec §2.4, §2.5).
@Suite struct EngineQuirkTests {
    let activated = expr("\"activated\"") { _ in .string("activated") }
    let notMet = expr("\"not met\"") { _ in .string("not met") }

    func parentalConsentSet() -> PolicySet {
        makeSet(resources: [
            resourcePolicy("doc") { k in [rule("root", key: k, actions: ["view"], roles: ["user"], effect: .allow)] },
            resourcePolicy("doc", scope: "acme", mode: .requireParentalConsentForAllows) { k in [
                rule("child", key: k, actions: ["view"], roles: ["user"], effect: .allow, condition: attrIs("status", "open"),
                     activated: activated, notMet: notMet),
            ] },
        ])
    }

    func outputValues(_ out: CheckOutput) -> [String] {
        out.outputs.compactMap { o -> String? in if case let .string(s)? = o.value { return s } else { return nil } }
    }

    @Test func parentalConsentRewrite_keepsOutputs_soRuleActivatedFiresWhenTheConditionIsFalse() {
        let closed = check(parentalConsentSet(), input(actions: ["view"], resourceAttr: attrs([("status", .string("closed"))]),
                                                       resourceScope: "acme"))
        #expect(closed.effect(for: "view") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault/acme", scope: "acme"))
        #expect(outputValues(closed) == ["activated"])
        let open = check(parentalConsentSet(), input(actions: ["view"], resourceAttr: attrs([("status", .string("open"))]),
                                                     resourceScope: "acme"))
        #expect(open.effect(for: "view") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault/acme", scope: ""))
        #expect(outputValues(open) == ["not met"])
    }

    @Test func rolePolicyConditionalGrant_swapsOutputsBack_soTheyReadNaturally() {
        let set = makeSet(resources: [
            resourcePolicy("doc") { k in [rule("a", key: k, actions: ["view"], roles: ["employee"], effect: .allow)] },
        ], roles: [
            CompiledRolePolicy(role: "clerk", version: "default", scope: "", parentRoles: ["employee"], rules: [
                .init(resource: "doc", allowActions: ["view"], condition: attrIs("status", "open"), name: "grant",
                      ruleActivated: activated, conditionNotMet: notMet),
            ], params: CompiledParams()),
        ])
        let open = check(set, input(roles: ["clerk"], actions: ["view"], resourceAttr: attrs([("status", .string("open"))])))
        #expect(open.effect(for: "view")?.effect == .allow)
        #expect(outputValues(open) == ["activated"])
        #expect(open.outputs.first?.src == "role.clerk.vdefault#grant")
        let closed = check(set, input(roles: ["clerk"], actions: ["view"], resourceAttr: attrs([("status", .string("closed"))])))
        #expect(closed.effect(for: "view") == ActionEffect(effect: .deny, policy: "role.clerk.vdefault"))
        #expect(outputValues(closed) == ["not met"])
    }

    @Test func principalScopeChain_followsThePrincipalsScope_withTheSamePermissionRules() {
        let set = makeSet(resources: [
            resourcePolicy("doc") { k in [rule("a", key: k, actions: ["view", "edit"], roles: ["user"], effect: .allow)] },
        ], principals: [
            principalPolicy("alice") { k in [] },
            principalPolicy("alice", scope: "acme") { k in [rule("d", key: k, actions: ["edit"], effect: .deny, resource: "*")] },
        ])
        let scoped = check(set, input(actions: ["edit", "view"], principalScope: "acme"))
        #expect(scoped.effect(for: "edit") == ActionEffect(effect: .deny, policy: "principal.alice.vdefault/acme", scope: "acme"))
        #expect(scoped.effect(for: "view") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault"))
        let unscoped = check(set, input(actions: ["edit"]))
        #expect(unscoped.effect(for: "edit")?.effect == .allow)
    }

    @Test func requestObject_seesRawVersionAndTrimmedScope() {
        let seen = expr("R.scope + '|' + R.policyVersion") { b in
            guard case let .object(r) = b.resource, case let .string(scope)? = r.field("scope"),
                  case let .string(version)? = r.field("policy_version") else { return .error(EvalError("bad")) }
            return .string(scope + "|" + version)
        }
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow, activated: seen),
        ] }])
        let out = check(set, input(actions: ["view"], resourceScope: "."), configuration: EngineConfiguration(defaultScope: "acme"))
        #expect(outputValues(out) == ["|"])
    }
}
