import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

@Suite struct CheckResourcesTests {
    func wire(_ resources: [(String, [String])], includeMeta: Bool = true, principal: [(String, Value)]? = nil) -> Value {
        let p = principal ?? [("id", .string("alice")), ("roles", .list([.string("user")]))]
        return .map(MapValue(stringKeyed: [
            ("requestId", .string("r-1")), ("includeMeta", .bool(includeMeta)),
            ("principal", .map(MapValue(stringKeyed: p))),
            ("resources", .list(resources.map { kind, actions in
                .map(MapValue(stringKeyed: [
                    ("actions", .list(actions.map { .string($0) })),
                    ("resource", .map(MapValue(stringKeyed: [("kind", .string(kind)), ("id", .string(kind + "-1")),
                                                             ("scope", .string(""))]))),
                ]))
            })),
        ]))
    }

    var engine: Engine {
        Engine(policySet: makeSet(resources: [
            resourcePolicy("doc") { k in [rule("a", key: k, actions: ["view"], roles: ["user"], effect: .allow)] },
        ]), configuration: EngineConfiguration(maxActionsPerResource: 2, maxResourcesPerRequest: 2))
    }

    @Test func response_echoesResourcesInOrder_withMetaWhenAsked() throws {
        let request = try CheckResourcesRequest(from: wire([("doc", ["view", "edit"]), ("other", ["view"])]))
        let response = try engine.checkResources(request, now: fixedNow)
        #expect(response.requestId == "r-1")
        #expect(response.results.map(\.resource.kind) == ["doc", "other"])
        #expect(response.results[0].actions.map(\.effect) == [.allow, .deny])
        let meta = try #require(response.results[0].meta)
        #expect(meta.actions.map(\.matchedPolicy) == ["resource.doc.vdefault", "resource.doc.vdefault"])
        #expect(response.results[1].meta?.actions.first?.matchedPolicy == "NO_MATCH")
        guard case let .map(top) = response.toValue(), case let .list(results)? = top[string: "results"],
              case let .map(first)? = results.first, case let .map(actions)? = first[string: "actions"] else {
            Issue.record("unexpected wire shape")
            return
        }
        #expect(same(actions[string: "view"], .string("EFFECT_ALLOW")))
        #expect(first[string: "meta"] != nil)
        #expect(first[string: "outputs"] == nil)
    }

    @Test func withoutIncludeMeta_thereIsNoMeta() throws {
        let response = try engine.checkResources(try CheckResourcesRequest(from: wire([("doc", ["view"])], includeMeta: false)))
        #expect(response.results[0].meta == nil)
    }

    @Test func limits_areEnforcedWithFieldPaths() throws {
        let tooMany = try CheckResourcesRequest(from: wire([("doc", ["view"]), ("doc", ["view"]), ("doc", ["view"])]))
        #expect(throws: RequestError.self) { try engine.checkResources(tooMany) }
        let tooManyActions = try CheckResourcesRequest(from: wire([("doc", ["a", "b", "c"])]))
        do {
            _ = try engine.checkResources(tooManyActions)
            Issue.record("expected a limit error")
        } catch {
            #expect(error.path == "resources[0].actions")
        }
    }

    @Test func configuration_rejectsLimitsOutsideOneTo500() {
        #expect(EngineConfiguration(maxActionsPerResource: 0).problems.count == 1)
        #expect(EngineConfiguration(maxResourcesPerRequest: 501).problems.count == 1)
        #expect(EngineConfiguration(maxActionsPerResource: 500, maxResourcesPerRequest: 1).problems.isEmpty)
        #expect(!EngineConfiguration(defaultPolicyVersion: "").problems.isEmpty)
    }

    @Test(arguments: [
        ("roles", "principal.roles"), ("dupRole", "principal.roles[1]"), ("badScope", "principal.scope"),
        ("badVersion", "principal.policyVersion"), ("unknown", "principal.nickname"), ("noId", "principal.id"),
    ])
    func malformedPrincipal_reportsTheFieldPath(problem: String, path: String) {
        var p: [(String, Value)] = [("id", .string("alice")), ("roles", .list([.string("user")]))]
        switch problem {
        case "roles": p[1] = ("roles", .list([]))
        case "dupRole": p[1] = ("roles", .list([.string("user"), .string("user")]))
        case "badScope": p.append(("scope", .string("a..b")))
        case "badVersion": p.append(("policyVersion", .string("v-1")))
        case "unknown": p.append(("nickname", .string("al")))
        default: p[0] = ("id", .string(""))
        }
        do {
            _ = try CheckResourcesRequest(from: wire([("doc", ["view"])], principal: p))
            Issue.record("expected an error at \(path)")
        } catch {
            #expect(error.path == path)
        }
    }

    @Test func malformedResources_reportTheFieldPath() {
        let noActions = Value.map(MapValue(stringKeyed: [
            ("principal", .map(MapValue(stringKeyed: [("id", .string("a")), ("roles", .list([.string("user")]))]))),
            ("resources", .list([.map(MapValue(stringKeyed: [
                ("actions", .list([])), ("resource", .map(MapValue(stringKeyed: [("kind", .string("doc")), ("id", .string("1"))]))),
            ]))])),
        ]))
        do {
            _ = try CheckResourcesRequest(from: noActions)
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "resources[0].actions")
        }
        #expect(throws: RequestError.self) { try CheckResourcesRequest(from: .list([])) }
    }
}
