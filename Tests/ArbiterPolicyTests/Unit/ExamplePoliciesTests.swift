import ArbiterYAML
import Testing
@testable import ArbiterPolicy

/// The bundled `examples/policies/` tree must always be a valid set.
@Suite struct ExamplePoliciesTests {
    @Test func examplePolicies_loadAsAValidSet() {
        let dir = ConformanceData.packageRoot + "/examples/policies"
        let result = PolicyLoader.load(directory: dir)
        let rendered = DiagnosticRenderer(limit: 20).render(result.diagnostics)
        #expect(result.diagnostics.isEmpty, "\(rendered)")
        #expect(result.policies.count == 10)
        let kinds = Set(result.policies.map(\.kindName))
        #expect(kinds == ["resourcePolicy", "principalPolicy", "rolePolicy", "derivedRoles", "exportVariables", "exportConstants"])
    }
}

@Suite struct PolicyExpressionsTests {
    @Test func expressions_listVariablesConditionsAndOutputsWithPaths() throws {
        let result = PolicyLoader.load(directory: ConformanceData.packageRoot + "/examples/policies")
        let document = try #require(result.policies.first { $0.file == "resource_policies/document.yaml" })
        let expressions = document.expressions
        #expect(expressions.first?.role == .variable(name: "share_budget_left"))
        #expect(expressions.contains { $0.role == .outputConditionNotMet })
        let paths = expressions.map(\.expression.path)
        #expect(paths.contains("resourcePolicy.rules[2].condition.match.all.of[1].expr"))
        #expect(paths.contains("resourcePolicy.rules[2].output.when.ruleActivated"))
        #expect(expressions.allSatisfy { $0.expression.file == "resource_policies/document.yaml" && $0.expression.mark.line > 0 })
    }

    @Test func directoryRenderer_showsTheOffendingSourceLine() throws {
        let dir = ConformanceData.packageRoot + "/examples/policies"
        let d = Diagnostic(file: "resource_policies/folder.yaml", line: 3, column: 3, message: "example", stage: .validation)
        #expect(DiagnosticRenderer.forDirectory(dir).render([d]) == "resource_policies/folder.yaml:3:3: example\n    resource: folder\n    ^\n")
    }
}
