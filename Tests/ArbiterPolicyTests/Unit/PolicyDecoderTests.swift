import ArbiterYAML
import CEL
import Testing
@testable import ArbiterPolicy

@Suite struct PolicyDecoderTests {
    static let header = "apiVersion: api.cerbos.dev/v1\n"

    private func decode(_ text: String) -> (policy: Policy?, diagnostics: [Diagnostic]) {
        PolicyLoader.decodeFile(Array(text.utf8), file: "p.yaml")
    }

    private func messages(_ text: String) -> [String] {
        decode(text).diagnostics.map(\.message)
    }

    @Test func validResourcePolicy_decodesEveryField() throws {
        let (policy, diagnostics) = decode(Self.header + """
        description: docs
        metadata:
          annotations: {team: a}
        resourcePolicy:
          resource: "album:object"
          version: "1"
          scope: acme.hr
          scopePermissions: SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS
          importDerivedRoles: [roles]
          variables: {import: [vars], local: {x: R.attr.a}}
          constants: {import: [consts], local: {limit: 3}}
          rules:
            - name: r1
              actions: [view]
              roles: [user]
              effect: EFFECT_ALLOW
              condition: {match: {any: {of: [{expr: "true"}, {none: {of: [{expr: "false"}]}}]}}}
              output: {when: {ruleActivated: "1", conditionNotMet: "2"}}
        """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let p = try #require(policy)
        guard case let .resource(r) = p.kind else { Issue.record("not a resource policy"); return }
        #expect(p.key == "resource.album_object.v1/acme.hr")
        #expect(r.scopePermissions?.value == .requireParentalConsentForAllows)
        #expect(r.variables?.local.first?.expression.text == "R.attr.a")
        guard case let .double(limit)? = r.constants?.local.first?.value else { Issue.record("constant not a double"); return }
        #expect(limit == 3)
        let rule = try #require(r.rules.first)
        #expect(rule.effect == .allow)
        #expect(rule.output?.conditionNotMet?.text == "2")
        #expect(rule.condition?.match?.expressions.map(\.text) == ["true", "false"])
        #expect(rule.mark.line == 14)
    }

    @Test func expressionPositions_pointIntoTheFile() throws {
        let (policy, _) = decode(Self.header + """
        resourcePolicy:
          resource: doc
          version: default
          rules:
            - actions: [view]
              roles: [user]
              effect: EFFECT_ALLOW
              condition:
                match:
                  expr: |-
                    a == b &&
                      c
        """)
        guard case let .resource(r)? = policy?.kind, let expr = r.rules.first?.condition?.match?.expressions.first else {
            Issue.record("no expression"); return
        }
        #expect(expr.path == "resourcePolicy.rules[0].condition.match.expr")
        #expect(expr.mark == YAMLMark(line: 11, column: 17))
        #expect(expr.location(ofOffset: 0) == YAMLMark(line: 12, column: 13))
        #expect(expr.location(ofOffset: 12) == YAMLMark(line: 13, column: 15))
    }

    @Test(arguments: [
        ("resourcePolicy: {resource: doc, version: default, rules: [], foo: 1}", "unknown field \"foo\""),
        ("resourcePolicy: {resource: {kind: x}, version: default}", "expected a string, got a mapping"),
        ("resourcePolicy: {resource: 'doc*', version: default}", "does not match regex pattern"),
        ("resourcePolicy: {resource: doc, version: 'v-1'}", "resourcePolicy.version: does not match regex pattern"),
        ("resourcePolicy: {resource: doc, version: v1, scope: '-bad'}", "resourcePolicy.scope: does not match regex pattern"),
        ("resourcePolicy: {resource: doc}", "resourcePolicy.version: value is required"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [a], effect: EFFECT_ALLOW}]}", "does not specify any roles or derived roles"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [a, a], roles: [r], effect: EFFECT_ALLOW}]}", "unique items"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [], roles: [r], effect: EFFECT_ALLOW}]}", "at least 1 item"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [a], roles: [r]}]}", "rules[0].effect: value is required"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [a], roles: [r], effect: ALLOW}]}", "invalid value \"ALLOW\""),
        ("resourcePolicy: {resource: doc, version: v, rules: [{name: '1x', actions: [a], roles: [r], effect: EFFECT_DENY}]}", "rules[0].name: does not match"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{name: n, actions: [a], roles: [r], effect: EFFECT_DENY}, {name: n, actions: [b], roles: [r], effect: EFFECT_DENY}]}", "duplicate rule name \"n\""),
        ("resourcePolicy: {resource: doc, version: v, importDerivedRoles: ['a b']}", "importDerivedRoles[0]: does not match"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [a], derivedRoles: ['x y'], effect: EFFECT_DENY}]}", "derivedRoles[0]: does not match"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [a], roles: [r], effect: EFFECT_DENY, condition: {script: x}}]}", "scripts in conditions are no longer supported"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [a], roles: [r], effect: EFFECT_DENY, condition: {match: {expr: a, all: {of: [{expr: b}]}}}}]}", "exactly one of expr, all, any or none"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [a], roles: [r], effect: EFFECT_DENY, condition: {match: {all: {of: [{any: {of: []}}]}}}}]}", "at least 1 item"),
        ("resourcePolicy: {resource: doc, version: v, rules: [{actions: [a], roles: [r], effect: EFFECT_DENY, output: {}}]}", "output must have at least one expression"),
        ("resourcePolicy: {resource: doc, version: v, schemas: {principalSchema: {ref: ''}}}", "principalSchema.ref: value is required"),
        ("resourcePolicy: {resource: doc, version: v, variables: {local: {'a.b': x}}}", "\"a.b\" is not a valid identifier"),
        ("resourcePolicy: {resource: doc, version: v, constants: {local: {'null': 1}}}", "\"null\" is a reserved keyword"),
        ("principalPolicy: {principal: p, version: v, rules: [{resource: r, actions: [{action: a, effect: EFFECT_DENY}]}, {resource: r, actions: [{action: b, effect: EFFECT_DENY}]}]}", "duplicate resource rule \"r\""),
        ("principalPolicy: {principal: p, version: v, rules: [{resource: r, actions: [{name: x, action: a, effect: EFFECT_DENY}, {name: x, action: b, effect: EFFECT_DENY}]}]}", "duplicate action rule name \"x\""),
        ("principalPolicy: {principal: p, version: v, rules: [{resource: r, actions: []}]}", "at least 1 item"),
        ("rolePolicy: {role: r, scopePermissions: SCOPE_PERMISSIONS_OVERRIDE_PARENT, rules: [{resource: d, allowActions: [a]}]}", "role policies only support"),
        ("rolePolicy: {role: r, rules: [{resource: d}]}", "allowActions: value must contain at least 1"),
        ("rolePolicy: {role: 'r*', rules: [{resource: d, allowActions: [a]}]}", "rolePolicy.role: does not match"),
        ("derivedRoles: {name: d}", "derivedRoles.definitions: value is required"),
        ("derivedRoles: {name: d, definitions: [{name: a, parentRoles: [x]}, {name: a, parentRoles: [y]}]}", "duplicate derived role definition \"a\""),
        ("derivedRoles: {name: d, definitions: [{name: a, parentRoles: [x, x]}]}", "unique items"),
        ("derivedRoles: {name: d, definitions: [{name: a}]}", "parentRoles: value must contain at least 1"),
        ("exportVariables: {name: v, definitions: {in: x}}", "\"in\" is a reserved keyword"),
        ("variables: {a: b}\nexportVariables: {name: v, definitions: {x: y}}", "export variables policies do not support the deprecated top-level variables field"),
        ("variables: {a: b}\nexportConstants: {name: v, definitions: {x: 1}}", "export constants policies do not support the deprecated top-level variables field"),
        ("description: nothing", "policyType: exactly one field is required in oneof"),
        ("derivedRoles: {name: d, definitions: [{name: a, parentRoles: [x]}]}\nexportVariables: {name: v}", "only one policy kind is allowed"),
        ("disabled: maybe\nexportVariables: {name: v}", "expected a boolean"),
    ])
    func invalidPolicies_reportTheProblem(_ body: String, _ expected: String) {
        let found = messages(Self.header + body + "\n")
        #expect(found.contains { $0.contains(expected) }, "got \(found)")
    }

    @Test func apiVersion_mustBeTheConstant() {
        let found = messages("apiVersion: api.cerbos.dev/v2\nexportVariables: {name: v}\n")
        #expect(found == ["apiVersion: must equal `api.cerbos.dev/v1`"])
    }

    @Test func diagnostics_carryPositionAndPath() throws {
        let (_, diagnostics) = decode(Self.header + "resourcePolicy:\n  resource: doc\n  version: v\n  rules:\n    - actions: [a]\n      roles: [r]\n      effect: EFFECT_ALLOW\n      extra: 1\n")
        let d = try #require(diagnostics.first)
        #expect((d.file, d.line, d.column) == ("p.yaml", 9, 7))
        #expect(d.path == "resourcePolicy.rules[0].extra")
        #expect(d.message == "unknown field \"extra\"")
    }

    @Test func rolePolicy_withoutVersion_defaultsToDefault() throws {
        let (policy, diagnostics) = decode(Self.header + "rolePolicy: {role: r, scope: acme, rules: [{resource: d, allowActions: [a]}]}\n")
        #expect(diagnostics.isEmpty)
        #expect(policy?.key == "role.r.vdefault/acme")
    }

    @Test func topLevelVariables_mergeBeforeLocalOnes() throws {
        let (policy, diagnostics) = decode(Self.header + "variables: {a: '1'}\nprincipalPolicy: {principal: p, version: v, variables: {local: {b: '2'}}}\n")
        #expect(diagnostics.isEmpty)
        #expect(policy?.effectiveLocalVariables.map(\.name.value) == ["a", "b"])
    }

    @Test func constants_areJSONLikeWithDoubles() throws {
        let (policy, _) = decode(Self.header + "exportConstants: {name: c, definitions: {n: 2, l: [true, ~, x], m: {k: 1.5}}}\n")
        guard case let .exportConstants(c)? = policy?.kind else { Issue.record("no policy"); return }
        guard case let .list(items) = c.definitions[1].value, case .bool(true) = items[0], case .null = items[1], case .string("x") = items[2] else {
            Issue.record("list decoded wrongly"); return
        }
        guard case let .map(m) = c.definitions[2].value, case .double(1.5)? = m[string: "k"] else { Issue.record("map decoded wrongly"); return }
        guard case .double(2) = c.definitions[0].value else { Issue.record("number is not a double"); return }
    }

    @Test func disabledPolicy_isNotValidated() {
        let (policy, diagnostics) = decode(Self.header + "disabled: true\nresourcePolicy: {resource: 'doc*', version: v}\n")
        #expect(policy?.disabled == true)
        #expect(diagnostics.isEmpty)
    }

    @Test func multipleDocuments_inOneFile_areAnError() {
        let found = messages(Self.header + "exportVariables: {name: a}\n---\n" + Self.header + "exportVariables: {name: b}\n")
        #expect(found == [PolicyLoader.multipleDocuments])
    }

    @Test(arguments: ["", "# just a comment\n", "   \n"])
    func emptyFiles_areSkippedSilently(_ text: String) {
        let (policy, diagnostics) = decode(text)
        #expect(policy == nil)
        #expect(diagnostics.isEmpty)
    }

    @Test func scalarDocument_isNotAPolicy() {
        #expect(messages("wat\n") == ["invalid document: contents are not valid YAML or JSON"])
    }
}

@Suite struct PolicyDecoderDuplicateKeyTests {
    @Test(arguments: [3, 40])
    func duplicateKeys_areReportedInSmallAndLargeMappings(_ size: Int) {
        var body = "apiVersion: api.cerbos.dev/v1\nexportConstants:\n  name: c\n  definitions:\n"
        for i in 0..<size { body += "    k\(i): \(i)\n" }
        body += "    k1: again\n"
        let (_, diagnostics) = PolicyLoader.decodeFile(Array(body.utf8), file: "c.yaml")
        #expect(diagnostics.map(\.message) == ["duplicate field \"k1\""])
        #expect(diagnostics.first?.line == size + 5)
    }
}
