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
