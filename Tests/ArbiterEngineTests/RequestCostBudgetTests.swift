import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import CEL
import Testing

/// `engine.celLimits.requestCostLimit`: all the CEL evaluations of one request share one budget,
/// on top of each evaluation's own `costLimit`.
@Suite struct RequestCostBudgetTests {
    /// Each evaluation of the condition iterates 100 times (100 cost units).
    static let policy = """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: "doc"
          version: default
          rules:
            - actions: ["view"]
              effect: EFFECT_ALLOW
              roles: ["user"]
              condition:
                match:
                  expr: R.attr.items.all(x, x >= 0)
            - actions: ["edit"]
              effect: EFFECT_ALLOW
              roles: ["user"]
              condition:
                match:
                  expr: P.attr.note.contains(R.attr.word)
        """

    static func engine(requestCostLimit: Int) throws -> Engine {
        var limits = EvaluationLimits.default
        limits.costLimit = 1_000
        limits.requestCostLimit = requestCostLimit
        let load = PolicyLoader.load(files: [("doc.yaml", Array(policy.utf8))])
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler(limits: limits)).compile(load)
        guard let set = compiled.policySet else { throw Failure(description: "does not compile: \(compiled.diagnostics)") }
        return Engine(policySet: set, configuration: EngineConfiguration(celLimits: limits))
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func request(resources: Int, actions: [String] = ["view"]) throws -> CheckResourcesRequest {
        let items = (0..<100).map(String.init).joined(separator: ",")
        let entries = (0..<resources).map { i in
            #"{"actions": [\#(actions.map { "\"\($0)\"" }.joined(separator: ","))], "resource": {"kind": "doc", "id": "d\#(i)", "attr": {"items": [\#(items)], "word": "zz"}}}"#
        }.joined(separator: ",")
        return try CheckResourcesRequest(from: try JSONReader.parse("""
            {"principal": {"id": "u", "roles": ["user"], "attr": {"note": "\(String(repeating: "a", count: 160))"}},
             "resources": [\(entries)]}
            """))
    }

    @Test func requestBudget_isSharedAcrossResources_laterEvaluationsFailOnceSpent() throws {
        let engine = try Self.engine(requestCostLimit: 250)
        let results = try engine.checkResources(try Self.request(resources: 4)).results
        // 100 units each: two fit in 250, the third finds 50 left and fails (its rule does not match).
        #expect(results.map { $0.actions[0].effect } == [.allow, .allow, .deny, .deny])
    }

    @Test func eachRequest_startsWithAFullBudget() throws {
        let engine = try Self.engine(requestCostLimit: 250)
        for _ in 0..<3 {
            let results = try engine.checkResources(try Self.request(resources: 2)).results
            #expect(results.map { $0.actions[0].effect } == [.allow, .allow])
        }
    }

    @Test func aLargeRequestBudget_leavesEachEvaluationItsOwnLimitOnly() throws {
        let engine = try Self.engine(requestCostLimit: 1_000_000)
        let results = try engine.checkResources(try Self.request(resources: 20)).results
        #expect(results.allSatisfy { $0.actions[0].effect == .allow })
    }

    @Test func check_chargesEveryActionToTheSameBudget() throws {
        let engine = try Self.engine(requestCostLimit: 250)
        // `edit` searches 160 bytes (10 units) for a 2-byte word: cheap, but charged after `view`.
        let input = try CheckInput(from: try JSONReader.parse("""
            {"principal": {"id": "u", "roles": ["user"], "attr": {"note": "zz"}},
             "resource": {"kind": "doc", "id": "d", "attr": {"items": [\((0..<300).map(String.init).joined(separator: ","))], "word": "zz"}},
             "actions": ["view", "edit"]}
            """))
        let output = engine.check(input, now: Engine.currentTime())
        // `view` iterates 300 times: over the request's 250, it fails; `edit` then finds the budget spent.
        #expect(output.actions.map { $0.1.effect } == [.deny, .deny])
    }

    @Test func plan_knownCallsShareTheRequestBudget() throws {
        // `P.attr.note.contains(R.attr.word)` is a known call over 160 bytes: 10 units.
        let request = try PlanResourcesRequest(from: try JSONReader.parse("""
            {"action": "edit", "principal": {"id": "u", "roles": ["user"], "attr": {"note": "\(String(repeating: "a", count: 158))zz"}},
             "resource": {"kind": "doc", "attr": {"word": "zz"}}}
            """))
        #expect(try Self.engine(requestCostLimit: 1_000).planResources(request).filter.kind == .alwaysAllowed)
        // Over a budget of 5 the call fails, and a failed condition allows nothing.
        #expect(try Self.engine(requestCostLimit: 5).planResources(request).filter.kind == .alwaysDenied)
    }
}
