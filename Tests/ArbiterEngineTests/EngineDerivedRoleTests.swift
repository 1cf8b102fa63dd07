import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

@Suite struct EngineDerivedRoleTests {
    let owner = CompiledDerivedRole(name: "owner", parentRoles: ["user"], condition: cond("R.attr.owner == P.id") { b in
        guard case let .object(p) = b.principal, case let .string(id)? = p.field("id") else { return .bool(false) }
        let o = resourceAttr(b, "owner")
        if isError(o) { return o }
        return .bool(same(o, .string(id)))
    }, params: CompiledParams(), originKey: "derived_roles.common")
    let anyone = CompiledDerivedRole(name: "anyone", parentRoles: ["*"], condition: nil, params: CompiledParams(),
                                     originKey: "derived_roles.common")

    func set(activated: CompiledExpression? = nil) -> PolicySet {
        makeSet(resources: [resourcePolicy("doc", derived: [owner, anyone]) { k in [
            rule("own", key: k, actions: ["edit"], derived: [owner], effect: .allow, activated: activated),
            rule("all", key: k, actions: ["view"], derived: [anyone], effect: .allow),
        ] }])
    }

    @Test func derivedRole_grantsWhenParentRoleAndConditionHold() {
        let mine = check(set(), input(actions: ["edit", "view"], resourceAttr: attrs([("owner", .string("alice"))])))
        #expect(mine.effect(for: "edit")?.effect == .allow)
        #expect(mine.effect(for: "view")?.effect == .allow)
        #expect(mine.effectiveDerivedRoles == ["anyone", "owner"])
        let theirs = check(set(), input(actions: ["edit"], resourceAttr: attrs([("owner", .string("bob"))])))
        #expect(theirs.effect(for: "edit")?.effect == .deny)
        #expect(theirs.effectiveDerivedRoles == ["anyone"])
        let wrongRole = check(set(), input(roles: ["guest"], actions: ["edit"], resourceAttr: attrs([("owner", .string("alice"))])))
        #expect(wrongRole.effect(for: "edit")?.effect == .deny)
    }

    @Test func runtimeEffectiveDerivedRoles_isSortedAndVisibleToConditions() {
        let seen = expr("runtime.effectiveDerivedRoles") { b in
            guard case let .object(rt) = b.runtime else { return .error(EvalError("no runtime")) }
            return rt.field("effectiveDerivedRoles") ?? .error(EvalError("no field"))
        }
        let out = check(set(activated: seen), input(actions: ["edit"], resourceAttr: attrs([("owner", .string("alice"))])))
        #expect(out.outputs.count == 1)
        if case let .list(items)? = out.outputs.first?.value {
            #expect(items.map { v -> String in if case let .string(s) = v { return s } else { return "" } } == ["anyone", "owner"])
        } else {
            Issue.record("expected a list output")
        }
    }

    @Test func principalPassDecidingEverything_leavesEffectiveDerivedRolesEmpty() {
        var builder = PolicySetBuilder()
        builder.add(resourcePolicy("doc", derived: [anyone]) { k in [rule("all", key: k, actions: ["view"], derived: [anyone], effect: .allow)] })
        builder.add(principalPolicy("alice") { k in [rule("p", key: k, actions: ["*"], effect: .allow, resource: "doc")] })
        let out = check(builder.build(), input(actions: ["view"]))
        #expect(out.effect(for: "view") == ActionEffect(effect: .allow, policy: "principal.alice.vdefault"))
        #expect(out.effectiveDerivedRoles.isEmpty)
    }
}
