import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

/// The runner gives PASSED, FAILED, ERRORED and SKIPPED per action, with a summary.
@Suite struct VerifyRunnerTests {
    func run(_ filter: TestFilter = TestFilter()) throws -> SuiteResult {
        let runner = TestRunner(policySet: try VerifySupport.notePolicySet(), filter: filter)
        return runner.run(try VerifySupport.suite(VerifySupport.noteSuite), fixtures: TestFixtures())
    }

    func kinds(_ result: SuiteResult, _ test: String) -> [TestResultKind] {
        result.testCases.first { $0.name == test }?.principals.flatMap { $0.resources.flatMap { $0.actions.map(\.kind) } } ?? []
    }

    @Test func expectedEffectsAndOutputs_pass() throws {
        let result = try run()
        #expect(kinds(result, "owner writes") == [.passed, .passed])
    }

    @Test func wrongEffect_fails_andUnlistedActionsExpectDeny() throws {
        let result = try run()
        #expect(kinds(result, "wrong expectation") == [.passed, .failed])
        let write = result.testCases[1].principals[0].resources[0].actions[1]
        guard case let .failed(expected, actual, _) = write.details else {
            Issue.record("expected a failure, got \(write.details)")
            return
        }
        #expect(expected == .allow && actual == .deny)
    }

    @Test func wrongOutput_failsWithAMismatch() throws {
        let result = try run()
        let action = try #require(result.testCases.first { $0.name == "wrong output" }?.principals[0].resources[0].actions[0])
        guard case let .failed(_, _, outputs) = action.details, case let .mismatched(_, actual)? = outputs.first?.problem else {
            Issue.record("expected an output mismatch, got \(action.details)")
            return
        }
        #expect(actual == .string("wrote:n1"))
    }

    @Test func timeDependentTest_withoutNow_errors_andWithNowPasses() throws {
        let result = try run()
        #expect(kinds(result, "clock without now") == [.errored])
        #expect(kinds(result, "clock with now") == [.passed])
    }

    @Test func skippedTest_isSkipped_andSummaryCountsEveryAction() throws {
        let result = try run()
        #expect(kinds(result, "skipped test") == [.skipped])
        #expect(result.summary.overall == .errored)
        #expect(result.summary.testsCount == 8)
        #expect(result.summary.counts == [.passed: 4, .failed: 2, .errored: 1, .skipped: 1])
    }

    @Test func runPattern_skipsTestsThatDoNotMatch() throws {
        let result = try run(try TestFilter(run: "^owner"))
        #expect(kinds(result, "owner writes") == [.passed, .passed])
        #expect(kinds(result, "wrong expectation") == [.skipped, .skipped])
        #expect(result.summary.overall == .passed)
    }

    @Test func missingFixture_erroredTheSuite() throws {
        var suite = try VerifySupport.suite(VerifySupport.noteSuite)
        suite.tests[0].input.principals = ["nobody"]
        let result = TestRunner(policySet: try VerifySupport.notePolicySet()).run(suite, fixtures: TestFixtures())
        #expect(result.summary.overall == .errored)
        #expect(result.error?.contains("principal \"nobody\" not found") == true)
    }

    @Test func skippedSuite_isSkipped() throws {
        var suite = try VerifySupport.suite(VerifySupport.noteSuite)
        suite.skip = true
        suite.skipReason = "later"
        let result = TestRunner(policySet: try VerifySupport.notePolicySet()).run(suite, fixtures: TestFixtures())
        #expect(result.summary.overall == .skipped && result.skipReason == "later" && result.testCases.isEmpty)
    }
}
