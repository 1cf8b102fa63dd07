import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

@Suite struct EngineBasicsTests {
    @Test func noPolicies_denyWithNoMatch() {
        let out = check(makeSet(), input(actions: ["view", "edit"]))
        #expect(out.actions.map(\.action) == ["view", "edit"])
        #expect(out.effect(for: "view") == ActionEffect(effect: .deny, policy: "NO_MATCH"))
        #expect(out.effect(for: "edit") == ActionEffect(effect: .deny, policy: "NO_MATCH"))
    }

    @Test func policyExistsButNoRuleMatches_denyWithPolicyKey() {
        let set = makeSet(resources: [resourcePolicy("doc") { k in [rule("r", key: k, actions: ["view"], roles: ["admin"], effect: .allow)] }])
        let out = check(set, input(actions: ["view"]))
        #expect(out.effect(for: "view") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault"))
    }

    @Test func matchingRole_allows_andRoleStarMatchesAnyRole() {
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("r1", key: k, actions: ["view"], roles: ["user"], effect: .allow),
            rule("r2", key: k, actions: ["list"], roles: ["*"], effect: .allow),
        ] }])
        let out = check(set, input(roles: ["guest", "user"], actions: ["view", "list", "edit"]))
        #expect(out.effect(for: "view")?.effect == .allow)
        #expect(out.effect(for: "list")?.effect == .allow)
        #expect(out.effect(for: "edit")?.effect == .deny)
    }

    @Test func actionAndRoleGlobs_useColonSeparator() {
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("r1", key: k, actions: ["view:*"], roles: ["team:*"], effect: .allow),
        ] }])
        #expect(check(set, input(roles: ["team:red"], actions: ["view:public"])).effect(for: "view:public")?.effect == .allow)
        #expect(check(set, input(roles: ["team:red"], actions: ["view"])).effect(for: "view")?.effect == .deny)
        #expect(check(set, input(roles: ["team:red"], actions: ["view:a:b"])).effect(for: "view:a:b")?.effect == .deny)
        #expect(check(set, input(roles: ["team:red:x"], actions: ["view:public"])).effect(for: "view:public")?.effect == .deny)
    }

    @Test func denyInSameScope_beatsAllowRegardlessOfRuleOrder() {
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow),
            rule("d", key: k, actions: ["*"], roles: ["user"], effect: .deny),
        ] }])
        #expect(check(set, input(actions: ["view"])).effect(for: "view") == ActionEffect(effect: .deny, policy: "resource.doc.vdefault"))
    }

    @Test func anyRolesAllow_wins_otherwiseFirstRolesResultIsKept() {
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("d", key: k, actions: ["view"], roles: ["intern"], effect: .deny),
            rule("a", key: k, actions: ["view"], roles: ["manager"], effect: .allow),
        ] }])
        #expect(check(set, input(roles: ["intern", "manager"], actions: ["view"])).effect(for: "view")?.effect == .allow)
        #expect(check(set, input(roles: ["intern", "guest"], actions: ["view"])).effect(for: "view")?.effect == .deny)
    }

    @Test func falseCondition_skipsRule() {
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow, condition: attrIs("status", "open")),
        ] }])
        #expect(check(set, input(actions: ["view"], resourceAttr: attrs([("status", .string("open"))]))).effect(for: "view")?.effect == .allow)
        #expect(check(set, input(actions: ["view"], resourceAttr: attrs([("status", .string("closed"))]))).effect(for: "view")?.effect == .deny)
    }

    @Test func resourceKind_isSanitisedForLookup() {
        let set = makeSet(resources: [resourcePolicy("album:object") { k in [rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow)] }])
        let out = check(set, input(kind: "album:object", actions: ["view"]))
        #expect(out.effect(for: "view") == ActionEffect(effect: .allow, policy: "resource.album_object.vdefault"))
    }

    @Test func versions_defaultAndExplicit() {
        let set = makeSet(resources: [
            resourcePolicy("doc") { k in [rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow)] },
            resourcePolicy("doc", version: "v2") { k in [rule("a", key: k, actions: ["edit"], roles: ["user"], effect: .allow)] },
        ])
        #expect(check(set, input(actions: ["view"])).effect(for: "view")?.effect == .allow)
        let v2 = check(set, input(actions: ["view", "edit"], resourceVersion: "v2"))
        #expect(v2.effect(for: "view") == ActionEffect(effect: .deny, policy: "resource.doc.vv2"))
        #expect(v2.effect(for: "edit") == ActionEffect(effect: .allow, policy: "resource.doc.vv2"))
        let conf = EngineConfiguration(defaultPolicyVersion: "v2")
        #expect(check(set, input(actions: ["edit"]), configuration: conf).effect(for: "edit")?.effect == .allow)
    }

    @Test func outputsPreserveInputOrder_acrossBatch_andEchoIds() {
        let set = makeSet(resources: [resourcePolicy("doc") { k in [rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow)] }])
        let engine = Engine(policySet: set)
        let outs = engine.check([input(id: "one", actions: ["view"]), input(id: "two", actions: ["edit", "view"])], now: fixedNow)
        #expect(outs.map(\.resourceId) == ["one", "two"])
        #expect(outs[1].actions.map(\.action) == ["edit", "view"])
        #expect(outs[0].requestId == "req")
    }

    @Test func oneNowPerBatch_isSeenByEveryResource() {
        let nowSeen = expr("now()") { b in .timestamp(b.now) }
        let set = makeSet(resources: [resourcePolicy("doc") { k in [
            rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow, activated: nowSeen),
        ] }])
        let outs = Engine(policySet: set).check([input(id: "1", actions: ["view"]), input(id: "2", actions: ["view"])])
        let values = outs.flatMap(\.outputs).compactMap { o -> String? in if case let .string(s)? = o.value { return s } else { return nil } }
        #expect(values.count == 2)
        #expect(Set(values).count == 1)
    }

    @Test func constantsAndGlobals_areVisible() {
        let params = CompiledParams(constants: attrs([("limit", .int(3))]))
        let usesBoth = cond("C.limit == 3 && G.environment == \"test\"") { b in
            guard case let .object(c) = b.constants, case let .object(g) = b.globals else { return .bool(false) }
            if case .int(3)? = c.field("limit"), case .string("test")? = g.field("environment") { return .bool(true) }
            return .bool(false)
        }
        let set = makeSet(resources: [resourcePolicy("doc", params: params) { k in [
            rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow, condition: usesBoth),
        ] }])
        let conf = EngineConfiguration(globals: attrs([("environment", .string("test"))]))
        #expect(check(set, input(actions: ["view"]), configuration: conf).effect(for: "view")?.effect == .allow)
        #expect(check(set, input(actions: ["view"])).effect(for: "view")?.effect == .deny)
    }
}
