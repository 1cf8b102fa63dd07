import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

@Suite struct EngineRolePolicyTests {
    func set(condition: CompiledCondition? = nil) -> PolicySet {
        makeSet(resources: [
            resourcePolicy("doc") { k in [rule("a", key: k, actions: ["view", "edit", "delete"], roles: ["employee"], effect: .allow)] },
            resourcePolicy("doc", scope: "acme") { k in [] },
        ], roles: [
            CompiledRolePolicy(role: "specialist", version: "default", scope: "acme", parentRoles: ["employee"], rules: [
                .init(resource: "doc", allowActions: ["view", "edit"], condition: condition, name: "grant"),
            ], params: CompiledParams()),
        ])
    }

    @Test func roleGrantsNeedAResourceRule_viaParentRoles_andUnlistedActionsAreDenied() {
        let out = check(set(), input(roles: ["specialist"], actions: ["view", "delete"], resourceScope: "acme"))
        #expect(out.effect(for: "view") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault/acme", scope: ""))
        #expect(out.effect(for: "delete") == ActionEffect(effect: .deny, policy: "role.specialist.vdefault/acme", scope: "acme"))
    }

    @Test func conditionalGrant_deniesWhenFalse() {
        let s = set(condition: attrIs("status", "open"))
        let open = check(s, input(roles: ["specialist"], actions: ["edit"], resourceAttr: attrs([("status", .string("open"))]), resourceScope: "acme"))
        #expect(open.effect(for: "edit")?.effect == .allow)
        let closed = check(s, input(roles: ["specialist"], actions: ["edit"], resourceAttr: attrs([("status", .string("closed"))]), resourceScope: "acme"))
        #expect(closed.effect(for: "edit") == ActionEffect(effect: .deny, policy: "role.specialist.vdefault/acme", scope: "acme"))
    }

    @Test func resourceNotCoveredByRolePolicy_isDenied() {
        let s = makeSet(resources: [
            resourcePolicy("report", scope: "acme") { k in [rule("a", key: k, actions: ["view"], roles: ["employee"], effect: .allow)] },
            resourcePolicy("report") { k in [] },
        ], roles: [
            CompiledRolePolicy(role: "specialist", version: "default", scope: "acme", parentRoles: ["employee"], rules: [
                .init(resource: "doc", allowActions: ["*"], condition: nil),
            ], params: CompiledParams()),
        ])
        let out = check(s, input(kind: "report", roles: ["specialist"], actions: ["view"], resourceScope: "acme"))
        #expect(out.effect(for: "view") == ActionEffect(effect: .deny, policy: "role.specialist.vdefault/acme", scope: "acme"))
    }

    @Test func parentRoles_expandOnlyInTheRequestsOwnScope() {
        let s = makeSet(resources: [
            resourcePolicy("doc") { k in [rule("a", key: k, actions: ["view"], roles: ["employee"], effect: .allow)] },
            resourcePolicy("doc", scope: "acme") { k in [] },
            resourcePolicy("doc", scope: "acme.hr") { k in [] },
        ], roles: [
            CompiledRolePolicy(role: "specialist", version: "default", scope: "acme", parentRoles: ["employee"], rules: [
                .init(resource: "doc", allowActions: ["view"], condition: nil),
            ], params: CompiledParams()),
        ])
        #expect(check(s, input(roles: ["specialist"], actions: ["view"], resourceScope: "acme")).effect(for: "view")?.effect == .allow)
        // From acme.hr the role policy still applies at acme (its rows), but `specialist` is not
        // expanded to `employee`, so nothing grants view.
        #expect(check(s, input(roles: ["specialist"], actions: ["view"], resourceScope: "acme.hr")).effect(for: "view")?.effect == .deny)
    }
}
