import ArbiterPolicy
import Testing

@Suite struct GlobPatternTests {
    @Test(arguments: [
        ("*", "view", true), ("*", "view:a:b", true), ("*", "", true),
        ("view:*", "view:public", true), ("view:*", "view", false), ("view:*", "view:a:b", false),
        ("a:*:d", "a:x:d", true), ("a:*:d", "a:x:y:d", false), ("a:**", "a:x:y", true),
        ("v?ew", "view", true), ("v?ew", "v:ew", false), ("{view,edit}:*", "edit:own", true),
        ("{view,edit}:*", "delete:own", false), ("[a-c]*", "beta", true), ("[!a-c]*", "beta", false),
        ("exact", "exact", true), ("exact", "exactly", false), ("*:own", "edit:own", true), ("*:own", "own", false),
    ])
    func glob_matchesWithColonAsSeparator(pattern: String, name: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(name) == expected)
    }

    @Test func isGlob_onlyForKeysContainingStar() {
        #expect(GlobPattern.isGlob("view:*"))
        #expect(!GlobPattern.isGlob("view?"))
    }
}

@Suite struct PolicyNamerTests {
    @Test(arguments: [
        ("album:object", "album_object"), ("a-b", "a_b"), ("leave_request", "leave_request"),
        ("a--b", "a_b"), ("a@b/c", "a_b_c"), ("arn:aws:sns:us-east-1:123456789012:topic-a", "arn:aws:sns:us-east-1:123456789012:topic-a"),
        ("1abc", "1abc"), ("x.y:z", "x.y_z"),
    ])
    func sanitized_followsCerbosRule(name: String, expected: String) {
        #expect(PolicyNamer.sanitized(name) == expected)
    }

    @Test func policyKeys_includeScopeOnlyWhenNonEmpty() {
        #expect(PolicyNamer.resourcePolicyKey(kind: "leave_request", version: "20210210", scope: "") == "resource.leave_request.v20210210")
        #expect(PolicyNamer.resourcePolicyKey(kind: "album:object", version: "default", scope: "acme.hr") == "resource.album_object.vdefault/acme.hr")
        #expect(PolicyNamer.principalPolicyKey(principal: "donald_duck", version: "default", scope: "acme.sales") == "principal.donald_duck.vdefault/acme.sales")
        #expect(PolicyNamer.rolePolicyKey(role: "acme_creator", version: "default", scope: "acme.hr.uk") == "role.acme_creator.vdefault/acme.hr.uk")
    }

    @Test func defaultRuleNames_areOneBasedAndPadded() {
        #expect(PolicyNamer.defaultResourceRuleName(index: 0) == "rule-001")
        #expect(PolicyNamer.defaultResourceRuleName(index: 11) == "rule-012")
        #expect(PolicyNamer.defaultPrincipalRuleName(resource: "leave_request", index: 0) == "leave_request_rule-001")
    }

    @Test func scopeParents_nearestFirstEndingAtRoot() {
        #expect(PolicyNamer.scopeParents("a.b.c") == ["a.b", "a", ""])
        #expect(PolicyNamer.scopeParents("") == [])
        #expect(PolicyNamer.normalisedScope(".") == "")
        #expect(PolicyNamer.normalisedScope(".a.b") == "a.b")
    }
}
