import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Synchronization
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

    /// Counts evaluations of a variable's expression.
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
        func bump() { value.add(1, ordering: .relaxed) }
        var count: Int { value.load(ordering: .relaxed) }
    }

    @Test func withoutMeta_variablesAreEvaluatedWhenRead_withTheSameResults() throws {
        let unreadCount = Counter(), readCount = Counter()
        let unread = expr("R.attr.missing") { b in unreadCount.bump(); return resourceAttr(b, "missing") }
        let owner = expr("R.attr.owner") { b in readCount.bump(); return resourceAttr(b, "owner") }
        let failing = expr("R.attr.absent") { b in resourceAttr(b, "absent") }
        let params = CompiledParams(variables: [
            .init(name: "unread", expression: unread, readsVariables: false, deferrable: true),
            .init(name: "owner", expression: owner, readsVariables: false, deferrable: true),
            .init(name: "failing", expression: failing, readsVariables: false, deferrable: true),
        ])
        // Reads V.owner twice (one evaluation) and asks for the failed variable, which must look
        // unset as it does in the eager map.
        let condition = cond("V.owner == P.id && !has(V.failing)") { b in
            guard case let .object(v) = b.variables, case let .object(p) = b.principal else { return .bool(false) }
            let first = v.field("owner"), second = v.field("owner")
            guard case let .string(o)? = first, case let .string(again)? = second, case let .string(id)? = p.field("id") else {
                return .bool(false)
            }
            return .bool(o == id && again == o && !v.hasField("failing"))
        }
        let set = makeSet(resources: [resourcePolicy("doc", params: params) { k in [
            rule("own", key: k, actions: ["edit"], roles: ["user"], effect: .allow, condition: condition),
        ] }])
        let engine = Engine(policySet: set)
        let now = Timestamp(seconds: 1_700_000_000)
        let cases: [(String, ArbiterEngine.Effect)] = [("alice", .allow), ("bob", .deny), ("alice", .allow)]
        for (who, expected) in cases {
            let check = input(principal: who, actions: ["edit"], resourceAttr: attrs([("owner", .string("alice"))]))
            let eager = engine.check(check, now: now)
            let request = CheckResourcesRequest(principal: check.principal,
                                                resources: [.init(actions: check.actions, resource: check.resource)])
            let lean = try engine.checkResources(request, now: now)
            #expect(eager.actions.map(\.effect.effect) == [expected])
            #expect(lean.results.first?.actions.map(\.effect) == [expected])
        }
        // check() evaluated every variable of the block three times; checkResources without
        // meta evaluated only the one read, once per request, and never the unread one.
        #expect(unreadCount.count == 3)
        #expect(readCount.count == 6)
    }
}
