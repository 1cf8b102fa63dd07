import Testing
@testable import ArbiterPolicy

/// Cerbos `store/`: the shared policy tree loads as a valid set and its decoys are skipped.
@Suite struct StoreConformanceTests {
    @Test func store_loadsAsValidSet() throws {
        let dir = try ConformanceData.cerbos("store")
        let result = PolicyLoader.load(directory: dir)
        print("[store] files \(result.fileCount), policies \(result.policies.count), disabled \(result.disabledPolicies.count), diagnostics \(result.diagnostics.count)")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        // 73 files: 7 under _schemas, 3 test suites, 2 hidden, 1 in testdata, 1 disabled.
        #expect(result.policies.count == 59)
    }

    @Test func store_skipsHiddenTestdataSchemasAndTestSuites() throws {
        let result = PolicyLoader.load(directory: try ConformanceData.cerbos("store"))
        let files = (result.policies + result.disabledPolicies).map(\.file)
        #expect(!files.isEmpty)
        for file in files {
            #expect(!file.contains("/."), "hidden entry loaded: \(file)")
            #expect(!file.hasPrefix("_schemas/"), "schema loaded as policy: \(file)")
            #expect(!file.contains("testdata/"), "testdata loaded: \(file)")
            #expect(!file.hasSuffix("_test.yaml"), "test suite loaded: \(file)")
        }
    }

    @Test func store_keepsDisabledPolicyOutOfTheSet() throws {
        let result = PolicyLoader.load(directory: try ConformanceData.cerbos("store"))
        #expect(result.disabledPolicies.map(\.file) == ["resource_policies/disabled_policy_01.yaml"])
        #expect(!result.policies.contains { $0.file == "resource_policies/disabled_policy_01.yaml" })
    }

    @Test func queryPlannerPolicies_loadAsValidSet() throws {
        let result = PolicyLoader.load(directory: try ConformanceData.cerbos("query_planner") + "/policies")
        print("[query_planner/policies] files \(result.fileCount), policies \(result.policies.count), diagnostics \(result.diagnostics.count)")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        #expect(result.policies.count > 30)
    }
}
