import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

/// The compiler on small inline policies, with the real CEL front end.
@Suite struct PolicyCompilerTests {
    func compile(_ files: [(String, String)]) -> PolicyCompiler.Result {
        let load = PolicyLoader.load(files: files.map { ($0.0, Array($0.1.utf8)) })
        return PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
    }

    func resource(variables: String, condition: String, extra: String = "") -> String {
        """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
        \(extra)
          variables:
            local:
        \(variables)
          rules:
            - actions: ["view"]
              effect: EFFECT_ALLOW
              roles: ["user"]
              condition:
                match:
                  expr: \(condition)
        """
    }

    @Test func variables_resolveInDependencyOrder_andDriveDecisions() throws {
        let result = compile([("doc.yaml", resource(variables: """
                  is_open: V.status == "open"
                  status: R.attr.status
            """, condition: "V.is_open"))])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let set = try #require(result.policySet)
        let open = check(set, input(actions: ["view"], resourceAttr: attrs([("status", .string("open"))])))
        #expect(open.effect(for: "view")?.effect == .allow)
        let closed = check(set, input(actions: ["view"], resourceAttr: attrs([("status", .string("shut"))])))
        #expect(closed.effect(for: "view")?.effect == .deny)
    }

    @Test func cyclicalVariables_areACompileError() {
        let result = compile([("doc.yaml", resource(variables: """
                  a: V.b
                  b: V.a
            """, condition: "V.a"))])
        #expect(result.policySet == nil)
        #expect(result.diagnostics.contains { $0.message.contains("cyclical variable definitions") })
    }

    @Test func undefinedVariableAndConstant_areCompileErrors() {
        let v = compile([("doc.yaml", resource(variables: "      a: R.attr.x", condition: "V.nope"))])
        #expect(v.diagnostics.contains { $0.message.contains("undefined variable") && $0.file == "doc.yaml" })
        let c = compile([("doc.yaml", resource(variables: "      a: R.attr.x", condition: "C.nope == 1"))])
        #expect(c.diagnostics.contains { $0.message.contains("undefined constant") })
    }

    @Test func celSyntaxError_isPositionedInTheFile() throws {
        let result = compile([("doc.yaml", resource(variables: "      a: R.attr.x", condition: "R.attr.x ==="))])
        let d = try #require(result.diagnostics.first { $0.message.hasPrefix("Invalid expression") })
        #expect(d.file == "doc.yaml")
        #expect(d.line == 15)
        #expect(d.column > 20)
    }

    @Test func importedVariablesAndConstants_areVisible() throws {
        let exports = """
        apiVersion: api.cerbos.dev/v1
        exportVariables:
          name: shared
          definitions:
            limit_ok: R.attr.size <= C.max
        """
        let consts = """
        apiVersion: api.cerbos.dev/v1
        exportConstants:
          name: limits
          definitions:
            max: 10
        """
        let policy = """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
          constants:
            import: [limits]
          variables:
            import: [shared]
          rules:
            - actions: ["upload"]
              effect: EFFECT_ALLOW
              roles: ["user"]
              condition:
                match:
                  expr: V.limit_ok
        """
        let result = compile([("vars.yaml", exports), ("consts.yaml", consts), ("doc.yaml", policy)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let set = try #require(result.policySet)
        #expect(check(set, input(actions: ["upload"], resourceAttr: attrs([("size", .double(3))]))).effect(for: "upload")?.effect == .allow)
        #expect(check(set, input(actions: ["upload"], resourceAttr: attrs([("size", .double(30))]))).effect(for: "upload")?.effect == .deny)
    }

    @Test func derivedRoles_haveTheirOwnVariables_andDefaultRuleNamesAppearInOutputs() throws {
        let roles = """
        apiVersion: api.cerbos.dev/v1
        derivedRoles:
          name: common
          variables:
            local:
              owns: R.attr.owner == P.id
          definitions:
            - name: owner
              parentRoles: ["user"]
              condition:
                match:
                  expr: V.owns
        """
        let policy = """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
          importDerivedRoles: [common]
          rules:
            - actions: ["edit"]
              effect: EFFECT_ALLOW
              derivedRoles: ["owner"]
              output:
                when:
                  ruleActivated: '"edited by " + P.id'
        """
        let result = compile([("roles.yaml", roles), ("doc.yaml", policy)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let set = try #require(result.policySet)
        let out = check(set, input(actions: ["edit"], resourceAttr: attrs([("owner", .string("alice"))])))
        #expect(out.effect(for: "edit")?.effect == .allow)
        #expect(out.effectiveDerivedRoles == ["owner"])
        #expect(out.outputs.map(\.src) == ["resource.doc.vdefault#rule-001"])
        #expect(same(out.outputs.first?.value, .string("edited by alice")))
    }

    @Test func missingAttribute_isReportedWithTheExpressionText() throws {
        let result = compile([("doc.yaml", resource(variables: "      a: R.attr.x", condition: "R.attr.missing == true"))])
        let set = try #require(result.policySet)
        let out = check(set, input(actions: ["view"]))
        #expect(out.evaluationErrors.contains(EvaluationError(expression: "R.attr.missing == true", message: "no such key: missing")))
        #expect(out.evaluationErrors.contains(EvaluationError(expression: "R.attr.x", message: "no such key: x")))
    }
}
