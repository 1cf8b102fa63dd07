import ArbiterHTTP
import ArbiterJSON
import CEL
import Foundation
import NIOHTTP1
import Testing

/// AuthZEN mapped onto CheckResources, against the conformance store's leave_request policies.
@Suite struct AuthZENTests {
    static let john = #"{"type":"employee","id":"john","properties":{"cerbos.policyVersion":"20210210","department":"marketing","geography":"GB","team":"design"}}"#
    static let leave = #"{"type":"leave_request","id":"XX125","properties":{"cerbos.policyVersion":"20210210","department":"marketing","geography":"GB","id":"XX125","owner":"john","team":"design"}}"#

    @Test func evaluation_decidesAsCheckResourcesDoes() async throws {
        let api = try await conformanceAPI()
        for (action, allowed) in [("view:public", true), ("approve", false)] {
            let body = #"{"subject":\#(Self.john),"resource":\#(Self.leave),"action":{"name":"\#(action)"}}"#
            let response = api.send(.POST, "/access/v1/evaluation", body)
            #expect(response.status == .ok)
            #expect(response.bodyText == #"{"decision":\#(allowed)}"#, "\(action)")
        }
    }

    @Test func evaluation_rolesComeFromCerbosRoles_elseFromTheSubjectType() async throws {
        let api = try await conformanceAPI()
        // With roles ["user"] the employee-only rules do not apply any more.
        let asUser = Self.john.replacingOccurrences(of: #""properties":{"#, with: #""properties":{"cerbos.roles":["user"],"#)
        let body = #"{"subject":\#(asUser),"resource":\#(Self.leave),"action":{"name":"view:public"}}"#
        #expect(api.send(.POST, "/access/v1/evaluation", body).bodyText == #"{"decision":false}"#)
    }

    @Test func evaluation_withIncludeMeta_returnsTheCheckResourcesResponseInContext() async throws {
        let api = try await conformanceAPI()
        let body = #"{"subject":\#(Self.john),"resource":\#(Self.leave),"action":{"name":"view:public"},"context":{"cerbos.includeMeta":true,"cerbos.requestId":"r1"}}"#
        let json = try api.send(.POST, "/access/v1/evaluation", body).json()
        #expect(lookup(json, "decision") == .bool(true))
        #expect(stringValue(lookup(json, "context", "cerbos.response", "requestId")) == "r1")
        #expect(stringValue(lookup(json, "context", "cerbos.response", "results", 0, "meta", "actions", "view:public", "matchedPolicy"))
                == "resource.leave_request.v20210210")
    }

    @Test(arguments: [
        (#"{"resource":{"type":"r","id":"1"},"action":{"name":"a"}}"#, "subject: value is required"),
        (#"{"subject":{"type":"","id":"x"},"resource":{"type":"r","id":"1"},"action":{"name":"a"}}"#, "subject.type: value length must be at least 1"),
        (#"{"subject":{"type":"u","id":"x"},"resource":{"type":"r"},"action":{"name":"a"}}"#, "resource.id: value is required"),
        (#"{"subject":{"type":"u","id":"x"},"resource":{"type":"r","id":"1"},"action":{}}"#, "action.name: value is required"),
        (#"{"subject":{"type":"u","id":"x","extra":1},"resource":{"type":"r","id":"1"},"action":{"name":"a"}}"#, "subject.extra: unknown field"),
        (#"{"subject":{"type":"u","id":"x","properties":{"":1}},"resource":{"type":"r","id":"1"},"action":{"name":"a"}}"#, "subject.properties: map keys must not be empty"),
    ])
    func evaluation_invalidRequest_is400NamingTheField(body: String, message: String) async throws {
        let response = try await conformanceAPI().send(.POST, "/access/v1/evaluation", body)
        #expect(response.status == .badRequest)
        #expect(response.bodyText.contains(message), "\(response.bodyText)")
    }

    @Test func evaluations_mergeDefaults_andAnswerInRequestOrder() async throws {
        let api = try await conformanceAPI()
        let body = #"""
        {"subject":\#(Self.john),"resource":\#(Self.leave),
         "evaluations":[{"action":{"name":"approve"}},{"action":{"name":"view:public"}},
                        {"action":{"name":"view:public"},"resource":{"type":"leave_request","id":"other","properties":{"cerbos.policyVersion":"20210210","owner":"someone"}}},
                        {"action":{"name":"view:public"},"subject":{"type":"employee","id":"zoe"}}]}
        """#
        let response = api.send(.POST, "/access/v1/evaluations", body)
        #expect(response.status == .ok)
        let json = try response.json()
        let decisions = (0..<4).map { lookup(json, "evaluations", $0, "decision") }
        // zoe has no policyVersion property, so the default-version policy applies to her.
        let zoe = api.send(.POST, "/access/v1/evaluation",
                           #"{"subject":{"type":"employee","id":"zoe"},"resource":\#(Self.leave),"action":{"name":"view:public"}}"#)
        let other = api.send(.POST, "/access/v1/evaluation", #"{"subject":\#(Self.john),"resource":{"type":"leave_request","id":"other","properties":{"cerbos.policyVersion":"20210210","owner":"someone"}},"action":{"name":"view:public"}}"#)
        #expect(decisions[0] == .bool(false))
        #expect(decisions[1] == .bool(true))
        #expect(decisions[2] == lookup(try other.json(), "decision"))
        #expect(decisions[3] == lookup(try zoe.json(), "decision"))
    }

    @Test func evaluations_semantics_cutAfterTheFirstDenyOrPermit() async throws {
        let api = try await conformanceAPI()
        let evaluations = #""evaluations":[{"action":{"name":"view:public"}},{"action":{"name":"approve"}},{"action":{"name":"view:public"}}]"#
        func send(_ semantic: String) throws -> String {
            api.send(.POST, "/access/v1/evaluations",
                     #"{"subject":\#(Self.john),"resource":\#(Self.leave),\#(evaluations),"options":{"evaluations_semantic":"\#(semantic)"}}"#).bodyText
        }
        #expect(try send("execute_all") == #"{"evaluations":[{"decision":true},{"decision":false},{"decision":true}]}"#)
        #expect(try send("deny_on_first_deny") == #"{"evaluations":[{"decision":true},{"decision":false}]}"#)
        #expect(try send("permit_on_first_permit") == #"{"evaluations":[{"decision":true}]}"#)
        let bad = api.send(.POST, "/access/v1/evaluations",
                           #"{"subject":\#(Self.john),"resource":\#(Self.leave),\#(evaluations),"options":{"evaluationsSemantic":"sometimes"}}"#)
        #expect(bad.status == .badRequest)
        #expect(bad.bodyText.contains("options.evaluationsSemantic"))
    }

    @Test func evaluations_withoutAnActionAnywhere_is400() async throws {
        let response = try await conformanceAPI().send(.POST, "/access/v1/evaluations",
            #"{"subject":\#(Self.john),"resource":\#(Self.leave),"evaluations":[{"action":{"name":"approve"}},{}]}"#)
        #expect(response.status == .badRequest)
        #expect(response.bodyText.contains("all evaluations must have an action"))
        let empty = try await conformanceAPI().send(.POST, "/access/v1/evaluations", #"{"evaluations":[]}"#)
        #expect(empty.bodyText.contains("evaluations: value must contain at least 1 item(s)"))
    }

    @Test func evaluations_overTheLimits_are400WithCerbosWording() async throws {
        let api = try await conformanceAPI(limits: AuthZENLimits(maxActionsPerResource: 2, maxResourcesPerRequest: 2))
        let five = Array(repeating: #"{"action":{"name":"view:public"}}"#, count: 5).joined(separator: ",")
        let total = api.send(.POST, "/access/v1/evaluations", #"{"subject":\#(Self.john),"resource":\#(Self.leave),"evaluations":[\#(five)]}"#)
        #expect(total.bodyText.contains("number of evaluations (5) exceeds configured limit (4)"))
        let actions = (1...3).map { #"{"action":{"name":"a\#($0)"}}"# }.joined(separator: ",")
        let perResource = api.send(.POST, "/access/v1/evaluations", #"{"subject":\#(Self.john),"resource":\#(Self.leave),"evaluations":[\#(actions)]}"#)
        #expect(perResource.bodyText.contains("number of actions (3) exceeds configured limit (2)"))
    }

    @Test func configuration_namesTheEndpointsUnderTheClientsHost() async throws {
        let api = try await conformanceAPI()
        let response = api.send(.GET, "/.well-known/authzen-configuration", headers: [("Host", "pdp.local:3592")])
        #expect(response.bodyText == #"{"policy_decision_point":"http://pdp.local:3592","access_evaluation_endpoint":"http://pdp.local:3592/access/v1/evaluation","access_evaluations_endpoint":"http://pdp.local:3592/access/v1/evaluations"}"#)
        let forwarded = api.send(.GET, "/.well-known/authzen-configuration",
                                 headers: [("Host", "x"), ("X-Forwarded-Host", "pdp.example"), ("X-Forwarded-Proto", "https")])
        #expect(stringValue(lookup(try forwarded.json(), "policy_decision_point")) == "https://pdp.example")
    }
}
