import ArbiterEngine
import ArbiterPolicy
import CEL
import Foundation
import OrderedCollections
import Testing

extension CerbosSDKTests {
    /// The SDK's `plan_resources` (with a single `action` string or an `actions` list, as the
    /// case gives it) for every case of the query planner suites, common and strict: the
    /// response the SDK returns, as protojson, is the engine's in-process plan, and a request
    /// the engine refuses is INVALID_ARGUMENT with the engine's message.
    @Test(.enabled(if: canRun, "the SDK venv .build/grpc-sdk-venv is missing: run `make deps`"))
    func officialSDK_plansEveryQueryPlannerCase_asTheEngineDoes() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            Issue.record("no Python with the cerbos SDK at \(Self.python): run `make deps` (packaging/grpc-sdk-deps.sh)")
            return
        }
        let load = PolicyLoader.load(directory: GRPCPlanConformanceTests.directory + "/policies")
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
        let set = try #require(compiled.policySet, "query planner policies do not compile: \(compiled.diagnostics)")
        let engine = Engine(policySet: set, configuration: EngineConfiguration(globals: MapValue(stringKeyed: [("environment", .string("test"))])))

        var cases: [Value] = []
        var wants: [String: Result<Value, RequestError>] = [:]
        for (key, request) in try GRPCPlanConformanceTests.requests(suites: ["common", "strict_scope_search"]) {
            // The SDK sends no include_meta; every planner case names a resource.
            guard case let .map(m) = request, m[string: "resource"] != nil else { continue }
            var members = m.storage
            members[.string("includeMeta")] = nil
            do throws(RequestError) {
                wants[key] = .success(try engine.planResources(try PlanResourcesRequest(from: .map(MapValue(members)))).toValue())
            } catch {
                wants[key] = .failure(error)
            }
            members[.string("key")] = .string(key)
            members[.string("plan")] = .bool(true)
            cases.append(.map(MapValue(members)))
        }
        try #require(cases.count > 50, "found only \(cases.count) planner cases")

        let request = Value.list(cases)
        let answers = try await LiveServer.with(engine: engine) { server in
            try await Self.runSDK(socket: server.socketPath, cases: request)
        }
        guard case let .map(top) = answers, case let .list(results)? = top[string: "results"] else {
            Issue.record("the SDK script wrote no results")
            return
        }
        #expect(results.count == cases.count)
        var passed = 0
        for result in results {
            guard case let .map(r) = result, case let .string(key)? = r[string: "key"], let want = wants[key] else {
                Issue.record("an answer for no case: \(result)")
                continue
            }
            let problem: String?
            switch (want, r[string: "response"], r[string: "code"]) {
            case let (.success(plan), response?, _):
                problem = GRPCPlanConformanceTests.canonical(response) == GRPCPlanConformanceTests.canonical(plan)
                    ? nil : "SDK got \(response), engine planned \(plan)"
            case let (.failure(error), _, code?):
                problem = code == .string("INVALID_ARGUMENT") && r[string: "details"] == .string(error.description)
                    ? nil : "SDK got \(code) \(r[string: "details"] ?? .null), engine refused: \(error)"
            default:
                problem = "SDK answered \(result), engine: \(want)"
            }
            if let problem { Issue.record(Comment(rawValue: "\(key): \(problem)")) } else { passed += 1 }
        }
        print("[grpc-sdk] query planner cases through the Cerbos Python SDK's plan_resources: \(passed)/\(cases.count) as in process")
    }
}
