import Testing
@testable import ArbiterPolicy

@Suite struct ExpressionReferenceScannerTests {
    private func refs(_ text: String) -> [String] {
        ExpressionReferenceScanner.references(in: text).map { "\($0.namespace == .variables ? "V" : "C").\($0.name)@\($0.offset)" }
    }

    @Test func findsShortAndLongNamespaces() {
        #expect(refs("V.a + variables.b > C.c && constants.d") == ["V.a@0", "V.b@6", "C.c@20", "C.d@27"])
    }

    @Test func ignoresFieldsStringsAndComments() {
        #expect(refs(#"request.variables.x + P.attr.V.y == "V.z" || 'C.w' == r"V.q" // V.comment"#) == [])
        #expect(refs("\"\"\"V.a\n\"\"\" + V.b") == ["V.b@13"])
    }

    @Test func acceptsOptionalFieldSelectionAndSpaces() {
        #expect(refs("V.?a.orValue(1) + V . b") == ["V.a@0", "V.b@18"])
    }

    @Test func escapedQuotesDoNotEndTheString() {
        #expect(refs(#""a\"V.x" + V.y"#) == ["V.y@11"])
    }
}

@Suite struct VariableCheckTests {
    private func load(_ files: [String: String]) -> [String] {
        PolicyLoader.load(files: files.map { (path: $0.key, contents: Array($0.value.utf8)) }).diagnostics.map(\.description)
    }

    private let rules = "  rules:\n    - actions: [a]\n      roles: [r]\n      effect: EFFECT_ALLOW\n      condition:\n        match:\n          expr: V.z > 1 && C.k\n"

    @Test func undefinedNamesAndCycles_areReportedAtTheirPositions() {
        let policy = """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
          variables:
            local:
              a: variables.a
              b: V.c
              c: V.b
              h: V.x / C.y

        """ + rules
        let found = load(["p.yaml": policy])
        #expect(found.sorted() == [
            "p.yaml:10:16: undefined constant: Undefined constant 'y' referenced in variable 'h'",
            "p.yaml:10:10: undefined variable: Undefined variable 'x' referenced in variable 'h'",
            "p.yaml:17:28: undefined constant: Undefined constant 'k'",
            "p.yaml:17:17: undefined variable: Undefined variable 'z'",
            "p.yaml:7:10: cyclical variable definitions: Variable 'a' references itself",
            "p.yaml:8:10: cyclical variable definitions: Variables 'b' (p.yaml:8:10) and 'c' (p.yaml:9:10) form a cycle",
        ].sorted())
    }

    @Test func importedDefinitions_satisfyReferences() {
        let vars = "apiVersion: api.cerbos.dev/v1\nexportVariables: {name: ev, definitions: {z: V.w, w: 'true'}}\n"
        let consts = "apiVersion: api.cerbos.dev/v1\nexportConstants: {name: ec, definitions: {k: true}}\n"
        let policy = "apiVersion: api.cerbos.dev/v1\nresourcePolicy:\n  resource: doc\n  version: default\n"
            + "  variables: {import: [ev]}\n  constants: {import: [ec]}\n" + rules
        #expect(load(["v.yaml": vars, "c.yaml": consts, "p.yaml": policy]) == [])
    }

    @Test func derivedRoleConditions_seeOnlyTheirOwnVariables() {
        let roles = """
        apiVersion: api.cerbos.dev/v1
        derivedRoles:
          name: dr
          variables: {local: {mine: 'true'}}
          definitions:
            - name: owner
              parentRoles: [user]
              condition: {match: {all: {of: [{expr: V.mine}, {expr: V.theirs}]}}}

        """
        #expect(load(["d.yaml": roles]) == ["d.yaml:8:61: undefined variable: Undefined variable 'theirs'"])
    }
}
