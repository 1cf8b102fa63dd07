import ArbiterEngine
import ArbiterPolicy
import CEL
import Testing

/// The engine reuses per-thread request state between checks; these pin down that no check
/// sees another's request, globals or variables.
@Suite struct EngineThreadStateTests {
    /// `owner` may view when `R.attr.owner == P.id`.
    let ownerSet = makeSet(resources: [
        resourcePolicy("doc") { k in
            [rule("own", key: k, actions: ["view"], roles: ["user"], effect: .allow,
                  condition: cond("R.attr.owner == P.id") { b in
                      guard case let .object(p) = b.principal, case let .string(id)? = p.field("id") else {
                          return .error(EvalError("bad P"))
                      }
                      let owner = resourceAttr(b, "owner")
                      if case let .string(o) = owner { return .bool(o == id) }
                      return owner
                  })]
        },
    ])

    func request(principal: String, owner: String) -> CheckInput {
        input(principal: principal, actions: ["view"], resourceAttr: attrs([("owner", .string(owner))]))
    }

    @Test func consecutiveChecks_onOneThread_seeOnlyTheirOwnRequest() {
        let engine = Engine(policySet: ownerSet)
        let effects = [("alice", "alice"), ("bob", "alice"), ("bob", "bob"), ("alice", "bob")].map { p, o in
            engine.check(request(principal: p, owner: o), now: fixedNow).actions[0].effect.effect
        }
        #expect(effects == [.allow, .deny, .allow, .deny])
    }

    @Test func enginesWithDifferentGlobals_alternatingOnOneThread_eachSeeTheirOwn() {
        let set = makeSet(resources: [
            resourcePolicy("doc") { k in
                [rule("flag", key: k, actions: ["view"], roles: ["user"], effect: .allow,
                      condition: cond("G.open") { b in
                          guard case let .object(g) = b.globals, let open = g.field("open") else { return .bool(false) }
                          return open
                      })]
            },
        ])
        let open = Engine(policySet: set, configuration: EngineConfiguration(globals: attrs([("open", .bool(true))])))
        let closed = Engine(policySet: set, configuration: EngineConfiguration(globals: attrs([("open", .bool(false))])))
        let probe = input(actions: ["view"])
        let effects = [open, closed, open, closed].map { $0.check(probe, now: fixedNow).actions[0].effect.effect }
        #expect(effects == [.allow, .deny, .allow, .deny])
    }

    @Test func checkNestedInACondition_leavesTheOuterRequestIntact() {
        let inner = Engine(policySet: ownerSet)
        let set = makeSet(resources: [
            resourcePolicy("doc") { k in
                [rule("nested", key: k, actions: ["view"], roles: ["user"], effect: .allow,
                      condition: cond("nested") { b in
                          let nested = inner.check(input(principal: "mallory", actions: ["view"],
                                                         resourceAttr: attrs([("owner", .string("mallory"))])), now: fixedNow)
                          guard nested.actions[0].effect.effect == .allow else { return .bool(false) }
                          // The outer request's attributes must still be in place.
                          let owner = resourceAttr(b, "owner")
                          if case let .string(o) = owner { return .bool(o == "alice") }
                          return owner
                      })]
            },
        ])
        let outer = Engine(policySet: set)
        let out = outer.check(input(principal: "alice", actions: ["view"], resourceAttr: attrs([("owner", .string("alice"))])),
                              now: fixedNow)
        #expect(out.actions[0].effect.effect == .allow)
    }

    /// Lets a condition call the engine it belongs to.
    final class EngineBox: @unchecked Sendable { var engine: Engine? }

    @Test func checkNestedInTheSameEngine_leavesTheOuterRequestIntact() {
        let box = EngineBox()
        let set = makeSet(resources: [
            resourcePolicy("outer") { k in
                [rule("nested", key: k, actions: ["view"], roles: ["user"], effect: .allow,
                      condition: cond("nested") { b in
                          let nested = box.engine?.check(input(kind: "inner", principal: "mallory", actions: ["view"]),
                                                         now: fixedNow)
                          guard nested?.actions[0].effect.effect == .allow else { return .bool(false) }
                          let owner = resourceAttr(b, "owner")
                          if case let .string(o) = owner { return .bool(o == "alice") }
                          return owner
                      })]
            },
            resourcePolicy("inner") { k in [rule("any", key: k, actions: ["view"], roles: ["user"], effect: .allow)] },
        ])
        box.engine = Engine(policySet: set)
        let out = box.engine?.check(input(kind: "outer", principal: "alice", actions: ["view"],
                                          resourceAttr: attrs([("owner", .string("alice"))])), now: fixedNow)
        #expect(out?.actions[0].effect.effect == .allow)
        #expect(out?.actions[0].effect.policy == "resource.outer.vdefault")
    }
}
