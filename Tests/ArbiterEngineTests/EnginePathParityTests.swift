import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Testing

/// A CheckResources request without `includeMeta` takes the engine's lean path: it collects no
/// evaluation errors, so policy variables are evaluated only when read, and per-thread plans and
/// role lists are reused between requests. These tests replay every engine conformance input
/// through both paths, several times in a row on one thread, and require the same effects,
/// matched policies, scopes and outputs.
@Suite(.serialized) struct EnginePathParityTests {
    struct Replay {
        var file: String
        var inputs: [CheckInput]
    }

    static func replays(_ directory: String) throws -> [Replay] {
        let dir = ConformanceData.root + "/cerbos/" + directory
        var out: [Replay] = []
        for file in ConformanceData.files(in: dir) {
            guard let bytes = ConformanceData.read(dir + "/" + file) else { continue }
            guard let doc = try YAMLParser.parse(bytes, file: file).first, case let .map(testCase) = doc.protobufValue,
                  case let .list(inputs)? = testCase[string: "inputs"] else { continue }
            out.append(Replay(file: file, inputs: try inputs.enumerated().map { i, raw in
                try CheckInput(from: raw, path: "inputs[\(i)]")
            }))
        }
        return out
    }

    static func render(_ outputs: [OutputEntry]) -> [String] {
        outputs.map { "\($0.src) \($0.action) \($0.value.map { String(describing: $0) } ?? "-") \($0.error ?? "")" }
    }

    @Test(arguments: [
        ("engine", false, false), ("engine", true, false), ("engine", false, true),
        ("engine_lenient_scope_search", true, false), ("engine_strict_scope_search", false, false),
    ])
    func checkResourcesWithoutMeta_decidesLikeCheck(directory: String, lenient: Bool, strict: Bool) throws {
        guard ConformanceData.exists(ConformanceData.root + "/cerbos/" + directory) else {
            Issue.record("conformance data not found; set \(ConformanceData.variable) to the conformance folder")
            return
        }
        guard let set = ConformanceData.compiledStore().0 else {
            Issue.record("store failed to compile")
            return
        }
        let globals = MapValue(stringKeyed: [("environment", .string("test"))])
        let engine = Engine(policySet: set, configuration: EngineConfiguration(lenientScopeSearch: lenient,
                                                                               strictEvaluation: strict, globals: globals))
        let now = Timestamp(seconds: 1_700_000_000)
        var compared = 0
        let replays = try Self.replays(directory)
        #expect(!replays.isEmpty)
        // Three rounds, so later rounds run on plans, role lists and variable objects that
        // earlier requests on this thread left behind.
        for _ in 0..<3 {
            for replay in replays {
                for (i, input) in replay.inputs.enumerated() {
                    let reference = engine.check(input, now: now)
                    for includeMeta in [false, true] {
                        let request = CheckResourcesRequest(requestId: input.requestId, includeMeta: includeMeta,
                                                            principal: input.principal,
                                                            resources: [.init(actions: input.actions, resource: input.resource)])
                        let response = try engine.checkResources(request, auxData: input.auxData, now: now)
                        let result = try #require(response.results.first)
                        let label = "\(replay.file)#\(i) meta=\(includeMeta)"
                        #expect(result.actions.map(\.action) == reference.actions.map(\.action), "\(label)")
                        #expect(result.actions.map(\.effect) == reference.actions.map(\.effect.effect), "\(label)")
                        #expect(Self.render(result.outputs) == Self.render(reference.outputs), "\(label)")
                        if includeMeta {
                            let meta = try #require(result.meta)
                            #expect(meta.actions.map(\.matchedPolicy) == reference.actions.map(\.effect.policy), "\(label)")
                            #expect(meta.actions.map(\.matchedScope) == reference.actions.map(\.effect.scope), "\(label)")
                            #expect(meta.effectiveDerivedRoles == reference.effectiveDerivedRoles, "\(label)")
                        }
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 0)
    }
}
