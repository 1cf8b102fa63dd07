import ArbiterPolicy
import CEL

/// Runs test suites against a compiled policy set, as `cerbos compile` does after compiling.
public struct TestRunner: Sendable {
    /// The policies under test.
    public var policySet: PolicySet
    /// Engine settings tests start from; suite and test options override them.
    public var baseConfiguration: EngineConfiguration
    /// Which tests run.
    public var filter: TestFilter

    /// The error of a check whose outcome depends on `now()` when the test pins no `now`.
    public static let timeUsedError = "a policy used a time-based condition, but `now` was not provided in the test options"

    /// Creates a runner.
    public init(policySet: PolicySet, baseConfiguration: EngineConfiguration = EngineConfiguration(),
                filter: TestFilter = TestFilter()) {
        self.policySet = policySet
        self.baseConfiguration = baseConfiguration
        self.filter = filter
    }

    /// Runs one decoded suite with its fixtures (shared `testdata/` merged with the suite's inline ones).
    public func run(_ suite: TestSuite, fixtures shared: TestFixtures) -> SuiteResult {
        var result = SuiteResult(file: suite.file, name: suite.name, description: suite.description,
                                 summary: TestSummary(), testCases: [], error: nil, skipReason: nil)
        if suite.skip {
            result.skipReason = suite.skipReason
            return result
        }
        if !filter.includes(.suite, suite.name) {
            result.skipReason = TestFilter.globSkipReason
            return result
        }
        let fixtures = shared.merging(suite)
        var plans: [TestPlan] = []
        var names = Set<String>()
        for table in suite.tests {
            guard names.insert(table.name).inserted else {
                return Self.errored(result, "Invalid test suite: another test named \(table.name) already exists")
            }
            do {
                plans.append(try TestPlan(table: table, fixtures: fixtures))
            } catch {
                return Self.errored(result, "Failed to load the test suite: invalid test \"\(table.name)\": \(error.message)")
            }
        }
        for plan in plans {
            let testCase = run(plan, options: plan.table.options ?? suite.options)
            for p in testCase.principals {
                for r in p.resources {
                    for a in r.actions { result.summary.add(a.kind) }
                }
            }
            result.testCases.append(testCase)
        }
        return result
    }

    static func errored(_ result: SuiteResult, _ message: String) -> SuiteResult {
        var out = result
        out.error = message
        out.summary = TestSummary(overall: .errored)
        out.testCases = []
        return out
    }

    func run(_ plan: TestPlan, options: TestOptions?) -> TestCaseResult {
        let configuration = (options ?? TestOptions()).applied(to: baseConfiguration)
        let engine = Engine(policySet: policySet, configuration: configuration)
        var skipReason: String?
        if plan.table.skip {
            skipReason = plan.table.skipReason
        } else if let regex = filter.includedTestNames, !regex.matches(plan.table.name) {
            skipReason = TestFilter.nameSkipReason
        } else if !filter.includes(.test, plan.table.name) {
            skipReason = TestFilter.globSkipReason
        }
        var principals: [TestCaseResult.PrincipalResults] = []
        for (principalName, principal) in plan.principals {
            var resources: [TestCaseResult.ResourceResults] = []
            for (resourceName, resource) in plan.resources {
                let input = CheckInput(principal: principal, resource: resource, actions: plan.table.input.actions,
                                       auxData: plan.auxData)
                let expectation = plan.expectation(principal: principalName, resource: resourceName)
                let reason = skipReason ?? globReason(principal: principalName, resource: resourceName)
                    ?? exclusionReason(input, configuration)
                let actions: [ActionResult]
                if let reason {
                    actions = input.actions.map { ActionResult(action: $0, details: .skipped(reason: reason)) }
                } else {
                    actions = judgeFilteringActions(engine: engine, input: input, now: options?.now, expectation: expectation)
                }
                resources.append(.init(name: resourceName, actions: actions))
            }
            principals.append(.init(name: principalName, resources: resources))
        }
        return TestCaseResult(name: plan.table.name, principals: principals)
    }

    func globReason(principal: String, resource: String) -> String? {
        filter.includes(.principal, principal) && filter.includes(.resource, resource) ? nil : TestFilter.globSkipReason
    }

    /// Judges the actions the filter's `action` globs include; the others are SKIPPED, in place.
    func judgeFilteringActions(engine: Engine, input: CheckInput, now: Timestamp?,
                               expectation: TestPlan.PairExpectation) -> [ActionResult] {
        let included = input.actions.filter { filter.includes(.action, $0) }
        if included.count == input.actions.count {
            return judge(engine: engine, input: input, now: now, expectation: expectation)
        }
        var judged: [String: ActionResult] = [:]
        if !included.isEmpty {
            var subset = input
            subset.actions = included
            for result in judge(engine: engine, input: subset, now: now, expectation: expectation) { judged[result.action] = result }
        }
        return input.actions.map { judged[$0] ?? ActionResult(action: $0, details: .skipped(reason: TestFilter.globSkipReason)) }
    }

    func exclusionReason(_ input: CheckInput, _ configuration: EngineConfiguration) -> String? {
        func version(_ v: String) -> String { v.isEmpty ? configuration.defaultPolicyVersion : v }
        func scope(_ s: String) -> String { PolicyNamer.normalisedScope(s.isEmpty ? configuration.defaultScope : s) }
        if !filter.excludedResourcePolicyFQNs.isEmpty {
            let key = PolicyNamer.resourcePolicyKey(kind: input.resource.kind, version: version(input.resource.policyVersion),
                                                    scope: scope(input.resource.scope))
            if filter.excludedResourcePolicyFQNs.contains("cerbos." + key) { return TestFilter.resourceSkipReason }
        }
        if !filter.excludedPrincipalPolicyFQNs.isEmpty {
            let key = PolicyNamer.principalPolicyKey(principal: input.principal.id, version: version(input.principal.policyVersion),
                                                     scope: scope(input.principal.scope))
            if filter.excludedPrincipalPolicyFQNs.contains("cerbos." + key) { return TestFilter.principalSkipReason }
        }
        return nil
    }
}
