import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

/// The suite decoder reads every part of the format and reports bad input with positions.
@Suite struct VerifyDecoderTests {
    func diagnostics(_ text: String) -> [Diagnostic] {
        TestSuiteDecoder.decodeSuite(Array(text.utf8), file: "bad_test.yaml").diagnostics
    }

    @Test func decoder_readsOptionsGroupsAndExpectations() throws {
        let suite = try VerifySupport.suite("""
        name: S
        description: D
        skip: false
        options:
          now: "2022-08-02T15:00:00Z"
          defaultPolicyVersion: "20210210"
          defaultScope: acme
          lenientScopeSearch: true
          strictEvaluation: true
          globals: {environment: test}
        principals:
          p: {id: p, roles: [user], attr: {n: 1}, scope: acme}
        principalGroups:
          g: {principals: [p]}
        resources:
          r: {kind: k, id: r1, policyVersion: "2"}
        auxData:
          a:
            jwts:
              t1: {claims: {iss: x}}
        tests:
          - name: T
            options: {now: "2023-01-01T00:00:00Z"}
            input: {principalGroups: [g], resources: [r], actions: [a1, a2], auxData: a}
            expected:
              - principals: [p]
                resource: r
                actions: {a1: EFFECT_ALLOW, a2: EFFECT_DENY}
        """)
        #expect(suite.name == "S" && suite.description == "D")
        let options = try #require(suite.options)
        #expect(options.now == Timestamp(rfc3339: "2022-08-02T15:00:00Z"))
        #expect(options.defaultPolicyVersion == "20210210" && options.defaultScope == "acme")
        #expect(options.lenientScopeSearch == true && options.strictEvaluation == true)
        #expect(options.globals?[string: "environment"] == .string("test"))
        #expect(suite.principals["p"]?.scope == "acme" && suite.principals["p"]?.attr[string: "n"] == .double(1))
        #expect(suite.principalGroups["g"] == ["p"])
        #expect(suite.resources["r"]?.policyVersion == "2")
        #expect(suite.auxData["a"]?.jwts.first?.name == "t1")
        let test = try #require(suite.tests.first)
        #expect(test.options?.now == Timestamp(rfc3339: "2023-01-01T00:00:00Z"))
        #expect(test.input.principalGroups == ["g"] && test.input.actions == ["a1", "a2"] && test.input.auxData == "a")
        #expect(test.expected.first?.actions.map(\.effect) == [.allow, .deny])
    }

    @Test func unknownField_isReportedAtItsPosition() {
        let found = diagnostics("""
        name: S
        tests:
          - name: T
            input: {principals: [p], resources: [r], actions: [a]}
            expectd: []
        """)
        #expect(found.count == 1)
        #expect(found.first?.line == 5 && found.first?.column == 5)
        #expect(found.first?.message.contains("unknown field \"expectd\"") == true)
    }

    @Test func badEffect_namesTheActionAndPosition() {
        let found = diagnostics("""
        name: S
        tests:
          - name: T
            input: {principals: [p], resources: [r], actions: [view]}
            expected:
              - principal: p
                resource: r
                actions:
                  view: ALLOW
        """)
        #expect(found.map(\.line) == [9])
        #expect(found.first?.column == 17)
        #expect(found.first?.message == "tests[0].expected[0].actions[\"view\"]: must be one of [EFFECT_ALLOW, EFFECT_DENY]")
    }

    @Test func badNow_andMissingTests_areReported() {
        let found = diagnostics("""
        name: S
        options:
          now: blah
        """)
        #expect(found.contains { $0.line == 3 && $0.column == 8 && $0.message.contains("invalid timestamp value \"blah\"") })
        #expect(found.contains { $0.message == "tests: value is required" })
    }

    @Test func nonMappingDocument_andYAMLSyntaxErrors_arePositioned() {
        let scalar = diagnostics("x\n")
        #expect(scalar.first?.line == 1 && scalar.first?.message.contains("expected a mapping") == true)
        let broken = diagnostics("name: [unclosed\n")
        #expect(broken.count == 1 && (broken.first?.line ?? 0) >= 1)
    }

    @Test func expectationNeedsExactlyOnePrincipalForm() {
        let found = diagnostics("""
        name: S
        tests:
          - name: T
            input: {principals: [p], resources: [r], actions: [a]}
            expected:
              - principal: p
                principals: [p]
                resource: r
                actions: {a: EFFECT_ALLOW}
              - resource: r
                actions: {a: EFFECT_ALLOW}
        """)
        #expect(found.contains { $0.line == 6 && $0.message.contains("principal and principals may not both be present") })
        #expect(found.contains { $0.line == 10 && $0.message.contains("principal, principals, or principalGroups must be present") })
    }

    @Test func fixtureFiles_rejectUnknownFieldsWithPositions() {
        var fixtures = TestFixtures()
        let found = TestSuiteDecoder.decodeFixture(.principals, Array("principals:\n  p:\n    id: p\n    roles: [a]\n    policyVursion: x\n".utf8),
                                                   file: "testdata/principals.yaml", into: &fixtures)
        #expect(found.count == 1 && found.first?.line == 5 && found.first?.column == 5)
        #expect(found.first?.message.contains("unknown field \"policyVursion\"") == true)
        #expect(fixtures.principals.isEmpty)
        let resources = TestSuiteDecoder.decodeFixture(.resources, Array("resources:\n  r:\n    id: r\n".utf8),
                                                       file: "testdata/resources.yaml", into: &fixtures)
        #expect(resources.first?.message == "resources[\"r\"].kind: value is required")
    }
}
