import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import CEL
import Testing

/// The rules of `PolicyWalk` (combining across roles, principal before resource, scope
/// permissions within a chain) as CheckResources and PlanResources both apply them: with every
/// attribute the conditions read given, a plan folds to ALWAYS_ALLOWED or ALWAYS_DENIED, and
/// that must be the effect CheckResources gives the same resource.
@Suite struct PolicyWalkTests {
    static let policies = [
        ("doc.yaml", """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
          importDerivedRoles: [doc_roles]
          rules:
            - actions: ["view"]
              roles: ["user"]
              effect: EFFECT_ALLOW
              condition:
                match:
                  expr: R.attr.public
            - actions: ["view", "edit"]
              roles: ["user"]
              effect: EFFECT_DENY
              condition:
                match:
                  expr: R.attr.locked
            - actions: ["edit"]
              derivedRoles: ["owner"]
              effect: EFFECT_ALLOW
            - actions: ["view"]
              roles: ["clerk"]
              effect: EFFECT_DENY
        """),
        ("doc.acme.yaml", """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
          scope: acme
          rules:
            - actions: ["view"]
              roles: ["manager"]
              effect: EFFECT_ALLOW
              condition:
                match:
                  expr: R.attr.region == "eu"
        """),
        ("doc.acme.team.yaml", """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
          scope: acme.team
          scopePermissions: SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS
          rules:
            - actions: ["view", "edit"]
              roles: ["user", "manager"]
              effect: EFFECT_ALLOW
              condition:
                match:
                  expr: "!R.attr.draft"
        """),
        ("roles.yaml", """
        apiVersion: api.cerbos.dev/v1
        derivedRoles:
          name: doc_roles
          definitions:
            - name: owner
              parentRoles: ["user"]
              condition:
                match:
                  expr: R.attr.owner == P.id
        """),
        ("auditor.yaml", """
        apiVersion: api.cerbos.dev/v1
        rolePolicy:
          role: auditor
          scope: acme
          parentRoles: ["manager"]
          rules:
            - resource: doc
              allowActions: ["view"]
              condition:
                match:
                  expr: R.attr.audited
        """),
        ("pat.yaml", """
        apiVersion: api.cerbos.dev/v1
        principalPolicy:
          principal: pat
          version: default
          rules:
            - resource: doc
              actions:
                - action: view
                  effect: EFFECT_DENY
                  condition:
                    match:
                      expr: R.attr.secret
                - action: edit
                  effect: EFFECT_ALLOW
                  condition:
                    match:
                      expr: R.attr.shared
        """),
    ]

    static func compile() -> (policySet: PolicySet?, diagnostics: [String]) {
        let load = PolicyLoader.load(files: policies.map { ($0.0, Array($0.1.utf8)) })
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
        return (compiled.policySet, compiled.diagnostics.map { "\($0)" })
    }

    static let engine = Engine(policySet: compile().policySet!)

    @Test func policies_compileWithoutDiagnostics() {
        #expect(Self.compile().diagnostics == [])
    }

    static let now = Timestamp(seconds: 1_700_000_000)

    /// Every combination of the attributes the conditions read.
    static let attributeSets: [String] = {
        var sets: [String] = []
        for bits in 0..<(1 << 8) {
            func flag(_ i: Int) -> String { bits & (1 << i) != 0 ? "true" : "false" }
            sets.append("""
            {"public":\(flag(0)),"locked":\(flag(1)),"owner":"\(bits & 4 != 0 ? "pat" : "kim")",\
            "region":"\(bits & 8 != 0 ? "eu" : "us")","draft":\(flag(4)),"audited":\(flag(5)),\
            "secret":\(flag(6)),"shared":\(flag(7))}
            """)
        }
        return sets
    }()

    /// Principals (id, roles) and scopes that reach each rule: several roles, a role policy
    /// with its parent role, a principal policy, both scope-permission modes.
    static let cases: [(id: String, roles: String, scope: String)] = [
        ("kim", #"["user"]"#, ""),
        ("pat", #"["user"]"#, ""),
        ("kim", #"["clerk","user"]"#, ""),
        ("kim", #"["user","clerk"]"#, ""),
        ("kim", #"["manager"]"#, "acme"),
        ("kim", #"["auditor"]"#, "acme"),
        ("pat", #"["user"]"#, "acme.team"),
        ("kim", #"["manager"]"#, "acme.team"),
        // Not here: ["auditor","user"] in acme and ["manager","user"] in acme.team. There a
        // role's conditional deny (`not(condition)`, not folded) is applied to every role, as
        // `PolicyPlan.addRole` does after Cerbos's planner, while CheckResources lets the other
        // role's ALLOW win: the plan is ALWAYS_DENIED where the check allows.
    ]

    @Test(arguments: cases)
    func knownAttributes_planFoldsToTheEffectCheckGives(id: String, roles: String, scope: String) throws {
        let principal = (id: id, roles: roles, scope: scope)
        var allowed = 0
        for action in ["view", "edit"] {
            for attr in Self.attributeSets {
                let principalJSON = #"{"id":"\#(principal.id)","roles":\#(principal.roles)}"#
                let resource = #"{"kind":"doc","scope":"\#(principal.scope)","attr":\#(attr)"#
                let check = try Self.engine.checkResources(CheckResourcesRequest(from: try JSONReader.parse(Array(
                    #"{"requestId":"c","principal":\#(principalJSON),"resources":[{"actions":["\#(action)"],"resource":\#(resource),"id":"d1"}}]}"#
                        .utf8))), now: Self.now)
                let effect = try #require(check.results.first?.actions.first?.effect)
                let plan = try Self.engine.planResources(PlanResourcesRequest(from: try JSONReader.parse(Array(
                    #"{"requestId":"p","action":"\#(action)","principal":\#(principalJSON),"resource":\#(resource)}}"#.utf8))),
                    now: Self.now)
                let expected: PlanFilter.Kind = effect == .allow ? .alwaysAllowed : .alwaysDenied
                #expect(plan.filter.kind == expected, "\(principal) \(action) \(attr): check \(effect), plan \(plan.filter)")
                if effect == .allow { allowed += 1 }
            }
        }
        // Each case allows some resources and denies others, so agreement is not trivial.
        #expect(allowed > 0 && allowed < 2 * Self.attributeSets.count, "\(principal): \(allowed) allowed")
    }

    static func check(_ id: String, roles: String, scope: String = "", action: String, attr: String)
        throws -> CheckResourcesResponse {
        try engine.checkResources(CheckResourcesRequest(from: try JSONReader.parse(Array(
            #"{"requestId":"c","includeMeta":true,"principal":{"id":"\#(id)","roles":\#(roles)},"resources":[{"actions":["\#(action)"],"resource":{"kind":"doc","id":"d1","scope":"\#(scope)","attr":\#(attr)}}]}"#
                .utf8))), now: now)
    }

    /// Across roles any ALLOW wins; without one, the first role's DENY is the one reported.
    @Test func roles_anyAllowWins_elseFirstDenyIsReported() throws {
        let open = #"{"public":true,"locked":false}"#
        #expect(try Self.check("kim", roles: #"["clerk","user"]"#, action: "view", attr: open).results[0].actions[0].effect == .allow)
        let denied = try Self.check("kim", roles: #"["auditor","user"]"#, scope: "acme", action: "view",
                                    attr: #"{"public":false,"audited":false}"#)
        #expect(denied.results[0].actions[0].effect == .deny)
        #expect(denied.results[0].meta?.actions.first?.matchedPolicy == "role.auditor.vdefault/acme")
    }

    /// The principal policy decides before the resource policy; a principal rule whose
    /// condition is false leaves the action to the resource policy.
    @Test func principalPolicy_decidesBeforeResourcePolicy() throws {
        let secret = try Self.check("pat", roles: #"["user"]"#, action: "view", attr: #"{"public":true,"secret":true}"#)
        #expect(secret.results[0].actions[0].effect == .deny)
        #expect(secret.results[0].meta?.actions.first?.matchedPolicy == "principal.pat.vdefault")
        let open = try Self.check("pat", roles: #"["user"]"#, action: "view", attr: #"{"public":true,"secret":false}"#)
        #expect(open.results[0].actions[0].effect == .allow)
        #expect(open.results[0].meta?.actions.first?.matchedPolicy == "resource.doc.vdefault")
    }
}
