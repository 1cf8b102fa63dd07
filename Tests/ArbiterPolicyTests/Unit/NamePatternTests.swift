import Testing
@testable import ArbiterPolicy

@Suite struct NamePatternTests {
    @Test(arguments: [("", true), (".", true), ("acme", true), ("acme.hr.uk", true), ("a-b.c_d", true), ("0x.y", true),
                      ("-a", false), ("a..b", false), ("a.", false), ("a b", false), ("¬s", false), ("a.-b", false)])
    func scopePattern_acceptsDottedSegmentsOnly(_ s: String, _ ok: Bool) { #expect(NamePattern.isScope(s) == ok) }

    @Test(arguments: [("default", true), ("20210210", true), ("v_1", true), ("", false), ("v-1", false), ("v.1", false)])
    func versionPattern_acceptsWordCharactersOnly(_ s: String, _ ok: Bool) { #expect(NamePattern.isVersion(s) == ok) }

    @Test(arguments: [("album:object", true), ("a/b c", true), ("", false), ("a*", false), ("a?", false), ("[a]", false), ("{a}", false), ("!a", false)])
    func resourcePattern_rejectsGlobCharacters(_ s: String, _ ok: Bool) { #expect(NamePattern.isResourceName(s) == ok) }

    @Test(arguments: [("", true), ("wildcard", true), ("public-view", true), ("a@b.c", true), ("1a", false), ("_a", false), ("a b", false)])
    func ruleNamePattern_needsLeadingLetter(_ s: String, _ ok: Bool) { #expect(NamePattern.isRuleName(s) == ok) }

    @Test(arguments: [("my_roles", true), ("a-b.c", true), ("", false), ("a b", false), ("a:b", false)])
    func importNamePattern_allowsWordDashAndDot(_ s: String, _ ok: Bool) { #expect(NamePattern.isImportName(s) == ok) }

    @Test(arguments: [("x", nil), ("_a1", nil), ("0xAAAAAA", "not a valid identifier"), ("a.b.c", "not a valid identifier"),
                      ("true", "reserved keyword"), ("false", "reserved keyword"), ("null", "reserved keyword"), ("in", "reserved keyword")])
    func identifiers_rejectInvalidAndReservedNames(_ s: String, _ problem: String?) {
        if let problem {
            #expect(NamePattern.identifierProblem(s)?.contains(problem) == true)
        } else {
            #expect(NamePattern.identifierProblem(s) == nil)
        }
    }
}

@Suite struct PolicyNamingTests {
    @Test(arguments: [("", []), ("acme", [""]), ("acme.hr.uk", ["acme.hr", "acme", ""]), (".", [""])])
    func ancestors_listParentScopesNearestFirst(_ scope: String, _ expected: [String]) {
        #expect(PolicyNaming.ancestors(of: scope) == expected)
    }

    @Test(arguments: [(1, "rule-001"), (12, "rule-012"), (1234, "rule-1234")])
    func defaultRuleNames_arePaddedToThreeDigits(_ index: Int, _ expected: String) {
        #expect(PolicyNaming.defaultRuleName(index: index) == expected)
    }
}
