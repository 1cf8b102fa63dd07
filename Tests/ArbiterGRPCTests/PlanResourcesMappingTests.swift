import ArbiterEngine
@testable import ArbiterGRPC
import ArbiterJSON
import ArbiterServer
import CEL
import GRPCCore
import SwiftProtobuf
import Testing

/// PlanResources messages map to the engine's request directly, are refused by the JSON path's
/// rules with its messages, and the plan comes back as the same operand tree.
struct PlanResourcesMappingTests {
    static let principal = #""principal": {"id": "alice", "roles": ["user"]}"#

    /// Each request breaks one rule of Cerbos's PlanResourcesRequest proto.
    @Test(arguments: [
        #"{"resource": {"kind": "document"}, "actions": ["view"]}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "actions": ["view"]}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "resource": {"kind": "document"}}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "resource": {"kind": "document"}, "action": "view", "actions": ["edit"]}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "resource": {"kind": "document"}, "actions": ["v", "v"]}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "resource": {"kind": "document"}, "actions": [""]}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "resource": {}, "actions": ["view"]}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "resource": {"kind": "document", "scope": "a..b"}, "actions": ["view"]}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "resource": {"kind": "document", "policyVersion": "v 1"}, "actions": ["view"]}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "resource": {"kind": "document", "attr": {"": 1}}, "actions": ["view"]}"#,
        #"{"principal": {"id": "alice"}, "resource": {"kind": "document"}, "actions": ["view"]}"#,
        #"{"principal": {"id": "alice", "roles": ["user"]}, "resource": {"kind": "document"}, "actions": ["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}"#,
    ])
    func invalidRequests_failAsOnTheJSONPath(text: String) throws {
        let jsonError = #expect(throws: RequestError.self) { try PlanResourcesRequest(from: try JSONReader.parse(text)) }
        let message = try Cerbos_Request_V1_PlanResourcesRequest(jsonString: text)
        let grpcError = #expect(throws: RequestError.self) { try PlanResourcesRequest(protobuf: message) }
        #expect(grpcError != nil)
        #expect(grpcError == jsonError)
    }

    @Test func conditionalPlan_isTheEngineOperandTree_withMetaAndRequestFields() throws {
        let service = CerbosGRPCService(store: TestPolicies.store(try TestPolicies.engine()), identity: LiveServer.identity)
        let message = try Cerbos_Request_V1_PlanResourcesRequest(jsonString: """
            {"requestId": "p-1", "includeMeta": true, \(Self.principal),
             "resource": {"kind": "document", "attr": {"dept": "x"}}, "actions": ["view", "edit"]}
            """)
        let response = try service.planResources(message)
        #expect(response.requestID == "p-1")
        #expect(response.actions == ["view", "edit"])
        #expect(response.action == "")
        #expect(response.resourceKind == "document")
        #expect(response.policyVersion == "default")
        #expect(response.filter.kind == .conditional)
        // view is allowed outright and edit needs ownership: the filter is edit's condition.
        let condition = response.filter.condition
        #expect(condition.expression.operator == "eq")
        #expect(condition.expression.operands.map(\.variable) == ["request.resource.attr.owner", ""])
        #expect(condition.expression.operands.last?.value.stringValue == "alice")
        #expect(response.meta.filterDebug == "(eq request.resource.attr.owner \"alice\")")
        #expect(response.meta.matchedScopes == ["view": "", "edit": ""])
        #expect(response.cerbosCallID.count == 26, "a ULID: \(response.cerbosCallID)")
    }

    @Test func deprecatedSingleAction_isEchoedAsAction() throws {
        let service = CerbosGRPCService(store: TestPolicies.store(try TestPolicies.engine()), identity: LiveServer.identity)
        let message = try Cerbos_Request_V1_PlanResourcesRequest(jsonString: """
            {\(Self.principal), "resource": {"kind": "document"}, "action": "view"}
            """)
        let response = try service.planResources(message)
        #expect(response.action == "view")
        #expect(response.actions.isEmpty)
        #expect(response.filter.kind == .alwaysAllowed)
        #expect(!response.hasMeta)
    }

    @Test func overLimitAndEmptyPlans_areInvalidArgument() throws {
        let service = CerbosGRPCService(store: TestPolicies.store(try TestPolicies.engine()), identity: LiveServer.identity)
        var message = Cerbos_Request_V1_PlanResourcesRequest()
        message.principal = .with { $0.id = "alice"; $0.roles = ["user"] }
        message.resource.kind = "document"
        let error = #expect(throws: GRPCCore.RPCError.self) { try service.planResources(message) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == RequestError(path: "actions", message: "one of action or actions is required").description)
    }

    /// A token is verified on the gRPC path as on the others: without configured key sets it is
    /// refused (Cerbos: InvalidArgument), not ignored.
    @Test func auxDataToken_isVerified_andRefusedWithoutKeySets() throws {
        let service = CerbosGRPCService(store: TestPolicies.store(try TestPolicies.engine()), identity: LiveServer.identity)
        var plan = try Cerbos_Request_V1_PlanResourcesRequest(jsonString: """
            {\(Self.principal), "resource": {"kind": "document"}, "actions": ["view"]}
            """)
        plan.auxData.jwt.token = "eyJhbGciOiJub25lIn0.e30."
        let planError = #expect(throws: GRPCCore.RPCError.self) { try service.planResources(plan) }
        #expect(planError?.code == .invalidArgument)
        var check = checkRequest()
        check.auxData.jwt.token = "eyJhbGciOiJub25lIn0.e30."
        let checkError = #expect(throws: GRPCCore.RPCError.self) { try service.checkResources(check) }
        #expect(checkError?.code == .invalidArgument)
        #expect(checkError?.message == planError?.message)
        // The JSON path's verifier says the same.
        let jsonError = #expect(throws: RequestError.self) {
            try EngineDecisionService().verifiedAuxData(CheckResourcesRequest.auxDataValue(check.auxData), now: Engine.currentTime())
        }
        #expect(checkError?.message == jsonError?.description)
    }
}
