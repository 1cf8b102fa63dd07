import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

/// Suites that ship with policies: the Cerbos store's own suites and the bundled examples.
@Suite(.serialized) struct VerifySuiteFilesTests {
    /// Suites (by file) known to fail, each with the reason.
    static let knownFailures: [String: String] = [:]

    func expectAllPass(_ results: TestResults, label: String) {
        #expect(!results.suites.isEmpty, "\(label): no suites found")
        for suite in results.suites {
            let passed = suite.summary.counts[.passed] ?? 0
            print("verify \(label)/\(suite.file): \(passed)/\(suite.summary.testsCount) passed (\(suite.summary.overall.protoName))")
            if suite.summary.overall > .passed {
                if let reason = Self.knownFailures[suite.file] {
                    print("  known failure: \(reason)")
                } else {
                    Issue.record("\(label)/\(suite.file) did not pass:\n\(TestResults(suites: [suite]).treeText(verbose: true))")
                }
            }
        }
    }

    @Test func storeSuites_pass() throws {
        let store = ConformanceData.root + "/cerbos/store"
        guard ConformanceData.exists(store) else {
            Issue.record("conformance data not found at \(store); set \(ConformanceData.variable) to the conformance folder")
            return
        }
        guard let set = VerifySupport.store.0 else {
            Issue.record("store failed to compile: \(VerifySupport.store.1.map(\.description).joined(separator: "\n"))")
            return
        }
        let runner = TestRunner(policySet: set)
        expectAllPass(runner.run(directory: store + "/tests"), label: "store/tests")
        let resourcePolicies = runner.run(directory: store + "/resource_policies")
        #expect(resourcePolicies.suites.map(\.file) == ["policy_04_test.yaml"])
        expectAllPass(resourcePolicies, label: "store/resource_policies")
    }

    @Test func exampleSuites_pass() throws {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        let examples = parts.joined(separator: "/") + "/examples/policies"
        let load = PolicyLoader.load(directory: examples)
        let compiled = PolicyCompiler(expressionCompiler: VerifySupport.compiler()).compile(load)
        let set = try #require(compiled.policySet, "examples do not compile: \(compiled.diagnostics.map(\.description))")
        let results = TestRunner(policySet: set).run(directory: examples)
        #expect(results.suites.count == 2)
        expectAllPass(results, label: "examples")
    }
}
