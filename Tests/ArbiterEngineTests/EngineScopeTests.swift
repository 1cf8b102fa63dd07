import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

@Suite struct EngineScopeTests {
    /// Root allows view and edit for users; `acme` denies edit; `acme.hr` allows delete.
    func chainSet(hrMode: ScopePermissionMode = .overrideParent, hrRules: ((String) -> [CompiledRule])? = nil) -> PolicySet {
        makeSet(resources: [
            resourcePolicy("doc") { k in [rule("root", key: k, actions: ["view", "edit", "approve"], roles: ["user"], effect: .allow)] },
            resourcePolicy("doc", scope: "acme") { k in [rule("deny-edit", key: k, actions: ["edit"], roles: ["user"], effect: .deny)] },
            resourcePolicy("doc", scope: "acme.hr", mode: hrMode, hrRules ?? { k in
                [rule("hr", key: k, actions: ["delete", "edit"], roles: ["user"], effect: .allow)]
            }),
        ])
    }

    @Test func childOverrideAllow_isFinalBeforeParentDeny() {
        let out = check(chainSet(), input(actions: ["edit", "delete", "view"], resourceScope: "acme.hr"))
        #expect(out.effect(for: "edit") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault/acme.hr", scope: "acme.hr"))
        #expect(out.effect(for: "delete") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault/acme.hr", scope: "acme.hr"))
        #expect(out.effect(for: "view") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault/acme.hr", scope: ""))
    }

    @Test func parentDeny_appliesWhenChildHasNoRule() {
        let out = check(chainSet(), input(actions: ["edit", "other"], resourceScope: "acme"))
        #expect(out.effect(for: "edit") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault/acme", scope: "acme"))
        #expect(out.effect(for: "other") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault/acme"))
    }

    @Test func strictSearch_missingScopeIsNoMatch_lenientUsesNearestAncestor() {
        let set = chainSet()
        let strict = check(set, input(actions: ["delete"], resourceScope: "acme.hr.uk"))
        #expect(strict.effect(for: "delete") == ActionEffect(effect: .deny, policy: "NO_MATCH"))
        let lenient = check(set, input(actions: ["delete"], resourceScope: "acme.hr.uk"),
                            configuration: EngineConfiguration(lenientScopeSearch: true))
        #expect(lenient.effect(for: "delete") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault/acme.hr", scope: "acme.hr"))
    }

    @Test func scopeSet_isGlobalAcrossKinds_soAnotherKindsScopeOpensTheChain() {
        let set = makeSet(resources: [
            resourcePolicy("doc") { k in [rule("root", key: k, actions: ["view"], roles: ["user"], effect: .allow)] },
            resourcePolicy("other", scope: "acme") { k in [rule("x", key: k, actions: ["view"], roles: ["user"], effect: .deny)] },
        ])
        let out = check(set, input(actions: ["view"], resourceScope: "acme"))
        #expect(out.effect(for: "view") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault/acme", scope: ""))
    }

    @Test func defaultScope_appliesToEmptyScope_butDotForcesRoot() {
        let conf = EngineConfiguration(defaultScope: "acme")
        let viaDefault = check(chainSet(), input(actions: ["edit"]), configuration: conf)
        #expect(viaDefault.effect(for: "edit") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault/acme", scope: "acme"))
        let forcedRoot = check(chainSet(), input(actions: ["edit"], resourceScope: "."), configuration: conf)
        #expect(forcedRoot.effect(for: "edit") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault", scope: ""))
    }

    @Test func requireParentalConsent_conditionalAllowBecomesDenyIfFalse_andDefersIfTrue() {
        let set = chainSet(hrMode: .requireParentalConsentForAllows) { k in [
            rule("hr-approve", key: k, actions: ["approve", "delete"], roles: ["user"], effect: .allow, condition: attrIs("status", "open")),
        ] }
        let open = check(set, input(actions: ["approve", "delete"], resourceAttr: attrs([("status", .string("open"))]), resourceScope: "acme.hr"))
        // True condition defers to the parents: root allows approve, nobody allows delete.
        #expect(open.effect(for: "approve") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault/acme.hr", scope: ""))
        #expect(open.effect(for: "delete") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault/acme.hr"))
        let closed = check(set, input(actions: ["approve"], resourceAttr: attrs([("status", .string("closed"))]), resourceScope: "acme.hr"))
        #expect(closed.effect(for: "approve") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault/acme.hr", scope: "acme.hr"))
    }

    @Test func requireParentalConsent_unconditionalAllowIsIgnoredInThatScope() {
        let set = chainSet(hrMode: .requireParentalConsentForAllows) { k in [
            rule("hr", key: k, actions: ["edit", "delete"], roles: ["user"], effect: .allow),
        ] }
        let out = check(set, input(actions: ["edit", "delete"], resourceScope: "acme.hr"))
        #expect(out.effect(for: "edit") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault/acme.hr", scope: "acme"))
        #expect(out.effect(for: "delete") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault/acme.hr"))
    }

    @Test func principalPolicy_decidesBeforeResource_andFalseConditionFallsThrough() {
        let set = makeSet(resources: [
            resourcePolicy("doc") { k in [rule("a", key: k, actions: ["view", "edit"], roles: ["user"], effect: .allow)] },
        ], principals: [
            principalPolicy("alice") { k in [
                rule("doc_rule-001", key: k, actions: ["edit"], effect: .deny, resource: "doc"),
                rule("doc_rule-002", key: k, actions: ["view"], effect: .deny, condition: alwaysFalse, resource: "doc"),
                rule("any", key: k, actions: ["purge"], effect: .allow, resource: "*"),
            ] },
        ])
        let out = check(set, input(actions: ["edit", "view", "purge"]))
        #expect(out.effect(for: "edit") == ActionEffect(effect: .deny, policy: "principal.alice.vdefault"))
        #expect(out.effect(for: "view") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault"))
        #expect(out.effect(for: "purge") == ActionEffect(effect: .allow, policy: "principal.alice.vdefault"))
        let bob = check(set, input(principal: "bob", actions: ["edit"]))
        #expect(bob.effect(for: "edit") == ActionEffect(effect: .allow, policy: "resource.doc.vdefault"))
    }

    @Test func principalPass_queriesRowsWithTheResourceVersion() {
        let set = makeSet(resources: [
            resourcePolicy("doc", version: "v1") { k in [rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow)] },
        ], principals: [
            principalPolicy("alice", version: "v1") { k in [rule("d", key: k, actions: ["view"], effect: .deny, resource: "doc")] },
        ])
        let out = check(set, input(actions: ["view"], resourceVersion: "v1", principalVersion: "v1"))
        #expect(out.effect(for: "view") == ActionEffect(effect: .deny, policy: "principal.alice.vv1"))
        // The principal asks for v9, which has no principal policy, yet the rows come from the
        // resource version v1: the principal DENY still applies, reported without a policy key.
        let other = check(set, input(actions: ["view"], resourceVersion: "v1", principalVersion: "v9"))
        #expect(other.effect(for: "view") == ActionEffect(effect: .deny, policy: "NO_MATCH"))
    }
}
