import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import CEL
import Testing

/// PlanResources through `Engine.planResources`, on policies compiled from YAML text.
@Suite struct PlanResourcesTests {
    static let policies = [
        ("document.yaml", """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: document
          version: default
          variables:
            local:
              is_owner: R.attr.owner == P.id
          rules:
            - actions: ["view"]
              roles: ["user"]
              effect: EFFECT_ALLOW
              condition:
                match:
                  any:
                    of:
                      - expr: V.is_owner
                      - expr: R.attr.public == true
            - actions: ["view"]
              roles: ["user"]
              effect: EFFECT_DENY
              condition:
                match:
                  expr: R.attr.deleted
            - actions: ["edit"]
              roles: ["user"]
              effect: EFFECT_ALLOW
              condition:
                match:
                  expr: V.is_owner && R.attr.tags.exists(t, t.startsWith(P.attr.team))
            - actions: ["search"]
              roles: ["user"]
              effect: EFFECT_ALLOW
              condition:
                match:
                  expr: R.attr.title.matches("^Q[0-9]") || hasIntersection(R.attr.labels, P.attr.labels)
            - actions: ["count"]
              roles: ["user"]
              effect: EFFECT_ALLOW
              condition:
                match:
                  expr: R.attr.size > 10
            - actions: ["list"]
              roles: ["user"]
              effect: EFFECT_ALLOW
            - actions: ["recent"]
              roles: ["user"]
              effect: EFFECT_ALLOW
              condition:
                match:
                  expr: R.attr.created > timestamp("2024-01-01T00:00:00Z")
            - actions: ["view", "list"]
              roles: ["contractor"]
              effect: EFFECT_DENY
              condition:
                match:
                  expr: R.attr.deleted
        """),
        ("document.acme.yaml", """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: document
          version: default
          scope: acme
          rules:
            - actions: ["list"]
              roles: ["user"]
              effect: EFFECT_ALLOW
            - actions: ["view"]
              roles: ["contractor"]
              effect: EFFECT_ALLOW
              condition:
                match:
                  expr: R.attr.region == "eu"
        """),
    ]

    static let engine: Engine = {
        let load = PolicyLoader.load(files: policies.map { ($0.0, Array($0.1.utf8)) })
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
        return Engine(policySet: compiled.policySet!)
    }()

    static func request(_ json: String) throws -> PlanResourcesRequest {
        try PlanResourcesRequest(from: try JSONReader.parse(Array(json.utf8)))
    }

    static func plan(_ json: String) throws -> PlanResourcesResponse {
        try engine.planResources(try request(json), now: Timestamp(seconds: 1_700_000_000))
    }

    static let alice = #""principal":{"id":"alice","roles":["user"],"attr":{"team":"red","labels":["x"]}}"#

    @Test func conditionalAllowWithDeny_givesNotDenyAndAllowAlternatives() throws {
        let r = try Self.plan(#"{"includeMeta":true,"action":"view",\#(Self.alice),"resource":{"kind":"document"}}"#)
        #expect(r.filter.kind == .conditional)
        #expect(r.meta?.filterDebug == #"(and (not request.resource.attr.deleted) (or (eq request.resource.attr.owner "alice") (eq request.resource.attr.public true)))"#)
    }

    @Test func knownAttributes_areInlinedAndFolded() throws {
        let r = try Self.plan(#"{"includeMeta":true,"action":"view",\#(Self.alice),"resource":{"kind":"document","attr":{"deleted":false,"owner":"bob"}}}"#)
        #expect(r.meta?.filterDebug == #"(eq request.resource.attr.public true)"#)
        let allowed = try Self.plan(#"{"action":"view",\#(Self.alice),"resource":{"kind":"document","attr":{"deleted":false,"owner":"alice"}}}"#)
        #expect(allowed.filter.kind == .alwaysAllowed)
        #expect(allowed.filter.condition == nil)
    }

    @Test func comprehensionOverUnknownList_isLambdaWithBodyFirst() throws {
        let r = try Self.plan(#"{"includeMeta":true,"action":"edit",\#(Self.alice),"resource":{"kind":"document","attr":{"owner":"alice"}}}"#)
        #expect(r.meta?.filterDebug == #"(exists request.resource.attr.tags (lambda (startsWith t "red") t))"#)
    }

    /// Calls a database cannot run stay operator calls under their CEL names, a member call's
    /// receiver first, for the adapter to translate or refuse.
    @Test func otherFunctions_passThroughWithReceiverFirst() throws {
        let r = try Self.plan(#"{"includeMeta":true,"action":"search",\#(Self.alice),"resource":{"kind":"document"}}"#)
        #expect(r.meta?.filterDebug == #"(or (matches request.resource.attr.title "^Q[0-9]") (hasIntersection request.resource.attr.labels ["x"]))"#)
    }

    @Test func unknownKind_isAlwaysDeniedWithNoMatchDebug() throws {
        let r = try Self.plan(#"{"includeMeta":true,"action":"view",\#(Self.alice),"resource":{"kind":"spreadsheet"}}"#)
        #expect(r.filter.kind == .alwaysDenied)
        #expect(r.meta?.filterDebug == "NO_MATCH")
    }

    @Test func actionWithoutRule_isAlwaysDenied() throws {
        let r = try Self.plan(#"{"includeMeta":true,"action":"shred",\#(Self.alice),"resource":{"kind":"document"}}"#)
        #expect(r.filter.kind == .alwaysDenied)
        #expect(r.meta?.filterDebug == "(false)")
    }

    @Test func attributeOfTheWrongType_givesAValidAnswer() throws {
        let r = try Self.plan(#"{"action":"count",\#(Self.alice),"resource":{"kind":"document","attr":{"size":"big"}}}"#)
        #expect(r.filter.kind == .alwaysDenied)
    }

    @Test func severalActions_areAndedAndReportMatchedScopes() throws {
        let r = try Self.plan(#"{"includeMeta":true,"actions":["view","count","list"],\#(Self.alice),"resource":{"kind":"document","scope":"acme"}}"#)
        #expect(r.meta?.filterDebug == #"(and (and (not request.resource.attr.deleted) (or (eq request.resource.attr.owner "alice") (eq request.resource.attr.public true))) (gt request.resource.attr.size 10))"#)
        #expect(r.meta?.matchedScopes.map(\.scope) == ["", "", "acme"])
        let json = String(decoding: try r.encodeJSON(), as: UTF8.self)
        #expect(json.contains(#""actions":["view","count","list"]"#))
        #expect(json.contains(#""matchedScopes":{"view":"","count":"","list":"acme"}"#))
        #expect(!json.contains(#""action":"#))
    }

    @Test func singleAction_echoesActionAndEncodesTheFilter() throws {
        let r = try Self.plan(#"{"requestId":"r1","includeMeta":true,"action":"count",\#(Self.alice),"resource":{"kind":"document","policyVersion":"default"}}"#)
        let json = String(decoding: try r.encodeJSON(), as: UTF8.self)
        #expect(json == #"{"requestId":"r1","action":"count","resourceKind":"document","policyVersion":"default","filter":{"kind":"KIND_CONDITIONAL","condition":{"expression":{"operator":"gt","operands":[{"variable":"request.resource.attr.size"},{"value":10}]}}},"meta":{"filterDebug":"(gt request.resource.attr.size 10)"}}"#)
    }

    @Test func knownTimestamp_staysATimestampCall() throws {
        let r = try Self.plan(#"{"includeMeta":true,"action":"recent",\#(Self.alice),"resource":{"kind":"document"}}"#)
        #expect(r.meta?.filterDebug == #"(gt request.resource.attr.created (timestamp "2024-01-01T00:00:00Z"))"#)
    }

    static let contractor = #""principal":{"id":"carl","roles":["contractor"],"scope":"acme"}"#

    /// CheckResources lets an OVERRIDE_PARENT scope's allow decide before a parent's deny is
    /// seen; the plan must deny by the parent's rule only where the child's allow fails.
    @Test func childScopeAllow_shieldsFromParentDeny() throws {
        let r = try Self.plan(#"{"includeMeta":true,"action":"view",\#(Self.contractor),"resource":{"kind":"document","scope":"acme"}}"#)
        #expect(r.meta?.filterDebug == #"(and (not (and (not (eq request.resource.attr.region "eu")) request.resource.attr.deleted)) (eq request.resource.attr.region "eu"))"#)
        #expect(r.meta?.matchedScopes.first?.scope == "acme")
    }

    @Test func roleWithOnlyDenyRows_isAlwaysDenied() throws {
        let r = try Self.plan(#"{"includeMeta":true,"action":"list",\#(Self.contractor),"resource":{"kind":"document","scope":"acme"}}"#)
        #expect(r.filter.kind == .alwaysDenied)
    }

    @Test(arguments: [
        (#"{"action":"a","actions":["b"],\#(alice),"resource":{"kind":"d"}}"#, "action"),
        (#"{\#(alice),"resource":{"kind":"d"}}"#, "actions"),
        (#"{"actions":[],\#(alice),"resource":{"kind":"d"}}"#, "actions"),
        (#"{"actions":["a","a"],\#(alice),"resource":{"kind":"d"}}"#, "actions[1]"),
        (#"{"actions":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"],\#(alice),"resource":{"kind":"d"}}"#, "actions"),
        (#"{"action":"a",\#(alice),"resource":{}}"#, "resource.kind"),
        (#"{"action":"a",\#(alice),"resource":{"kind":"d","id":"x"}}"#, "resource.id"),
        (#"{"action":"a","resource":{"kind":"d"}}"#, "principal"),
        (#"{"action":"a",\#(alice),"resource":{"kind":"d","scope":"a..b"}}"#, "resource.scope"),
    ])
    func badRequest_namesTheField(json: String, field: String) throws {
        let error = #expect(throws: RequestError.self) { try Self.request(json) }
        #expect(error?.path == field, "\(String(describing: error))")
    }
}
