import CEL
import Testing
@testable import ArbiterPolicy

/// The builder registers immutable compiled objects by making copies that carry the dense ids
/// the engine's caches use; what it was given stays unregistered and can be added again.
@Suite struct PolicySetBuilderTests {
    let condition = CompiledCondition.expression(CompiledExpression(source: "true", program: Always()))

    struct Always: ExpressionProgram {
        func evaluate(_ bindings: EvaluationBindings) -> Value { .bool(true) }
    }

    func role(_ name: String) -> CompiledDerivedRole {
        CompiledDerivedRole(name: name, parentRoles: ["user"], condition: condition, params: CompiledParams(),
                            originKey: "derived_roles.common")
    }

    func rule(_ name: String, key: String, effect: RuleEffect = .allow, derived: [CompiledDerivedRole] = []) -> CompiledRule {
        CompiledRule(name: name, outputSource: key + "#" + name, actions: ActionMatcher(["view", "edit*"]),
                     roles: RoleMatcher(["user"]), derivedRoles: derived, effect: effect, condition: condition)
    }

    func resourcePolicy(_ kind: String, scope: String = "", mode: ScopePermissionMode = .overrideParent,
                        derived: [CompiledDerivedRole]) -> CompiledResourcePolicy {
        let key = PolicyNamer.resourcePolicyKey(kind: kind, version: "default", scope: scope)
        return CompiledResourcePolicy(kind: kind, version: "default", scope: scope, scopePermissions: mode,
                                      rules: [rule("a", key: key, derived: derived), rule("b", key: key)],
                                      derivedRoles: derived, params: CompiledParams())
    }

    @Test func add_registersCopiesWithDenseIds_andLeavesTheOriginalsUnregistered() throws {
        let owner = role("owner")
        let doc = resourcePolicy("doc", derived: [owner]), album = resourcePolicy("album", derived: [owner])
        var builder = PolicySetBuilder()
        builder.add(doc)
        builder.add(album)
        let set = builder.build()

        let addedDoc = try #require(set.resourcePolicy(kind: "doc", version: "default", scope: ""))
        let addedAlbum = try #require(set.resourcePolicy(kind: "album", version: "default", scope: ""))
        #expect(addedDoc !== doc)
        #expect((addedDoc.rules + addedAlbum.rules).map(\.id).sorted() == [0, 1, 2, 3])
        #expect(Set([addedDoc.params.id, addedAlbum.params.id, addedDoc.derivedRoles[0].params.id]) == [0, 1, 2])
        #expect(set.ruleCount == 4 && set.paramsCount == 3 && set.derivedRoleCount == 1)
        // One registered copy of the shared role, which the rules and both policies refer to.
        #expect(addedDoc.derivedRoles[0] === addedAlbum.derivedRoles[0])
        #expect(addedDoc.rules[0].derivedRoles[0] === addedDoc.derivedRoles[0])
        #expect(addedDoc.derivedRoles[0].id == 0)
        #expect(addedDoc.ruleIndices(for: "view") == [0, 1] && addedDoc.ruleIndices(for: "editor") == [0, 1])
        // The originals are untouched: another builder registers them from scratch.
        #expect(doc.params.id == -1 && doc.rules.allSatisfy { $0.id == -1 } && owner.id == -1)
        var again = PolicySetBuilder()
        again.add(album)
        #expect(again.build().resourcePolicy(kind: "album", version: "default", scope: "")?.rules.map(\.id) == [0, 1])
    }

    @Test func add_ofARegisteredPolicy_keepsTheSameObject() throws {
        var first = PolicySetBuilder()
        let firstAdded = first.add(resourcePolicy("doc", derived: [role("owner")]))
        let registered = try #require(firstAdded)
        var second = PolicySetBuilder()
        let readded = second.add(registered)
        let duplicate = second.add(registered)
        #expect(readded === registered)
        #expect(duplicate == nil)
        #expect(second.errors == ["duplicate policy definition resource.doc.vdefault"])
    }

    @Test func parentalConsent_rewritesConditionalAllowsInTheRegisteredCopy() throws {
        var builder = PolicySetBuilder()
        let policy = resourcePolicy("doc", scope: "a", mode: .requireParentalConsentForAllows, derived: [])
        let result = builder.add(policy)
        let added = try #require(result)
        #expect(added.rules.map(\.effect) == [.deny, .deny])
        let rewritten = try #require(added.rules[0].condition)
        guard case CompiledCondition.none = rewritten else { Issue.record("not rewritten to none([cond])"); return }
        #expect(policy.rules.map(\.effect) == [.allow, .allow])
    }

    @Test func rolePolicies_getRuleIdsAfterTheResourcePolicies() throws {
        var builder = PolicySetBuilder()
        builder.add(resourcePolicy("doc", derived: []))
        let rolePolicy = CompiledRolePolicy(role: "auditor", version: "", scope: "", parentRoles: ["user"],
                                            rules: [.init(resource: "doc", allowActions: ["view"], condition: nil)],
                                            params: CompiledParams())
        let result = builder.add(rolePolicy)
        let added = try #require(result)
        #expect(added.rules.map(\.id) == [2])
        #expect(rolePolicy.rules.map(\.id) == [-1])
        #expect(builder.build().addingParentRoles(to: ["auditor"], scope: "") == ["auditor", "user"])
    }
}
