import ArbiterEngine
@testable import ArbiterGRPC
import ArbiterJSON
import CEL
import GRPCCore
import SwiftProtobuf
import Testing

/// Protobuf messages map to the engine's types directly, and are refused by the same rules, with
/// the same messages, as the JSON path.
struct ProtobufMappingTests {
    @Test func attributes_becomeTheCELValuesTheJSONDecoderMakes() throws {
        let text = """
        {"principal": {"id": "alice", "roles": ["user"], "policyVersion": "v1", "scope": "acme.hr",
                       "attr": {"n": 3, "f": 1.5, "b": true, "z": null, "s": "x", "l": [1, "two", [false]],
                                "o": {"k": {"deep": "yes"}, "a": 2}}},
         "resources": [{"actions": ["view"], "resource": {"kind": "document", "id": "d1", "attr": {"owner": "alice"}}}],
         "requestId": "r1", "includeMeta": true}
        """
        let fromProtobuf = try CheckResourcesRequest(protobuf: try Cerbos_Request_V1_CheckResourcesRequest(jsonString: text))
        let fromJSON = try CheckResourcesRequest(from: try JSONReader.parse(text))
        #expect(fromProtobuf.requestId == "r1")
        #expect(fromProtobuf.includeMeta)
        #expect(fromProtobuf.principal.policyVersion == "v1")
        #expect(fromProtobuf.principal.scope == "acme.hr")
        #expect(fromProtobuf.principal.roles == ["user"])
        #expect(fromProtobuf.resources.count == 1)
        #expect(fromProtobuf.resources[0].resource.attr[string: "owner"] == .string("alice"))
        // Same values as the JSON decoder's (maps compare by content, whatever their order).
        #expect(Value.map(fromProtobuf.principal.attr) == Value.map(fromJSON.principal.attr))
        #expect(fromProtobuf.principal.attr[string: "n"] == .double(3))
        #expect(fromProtobuf.principal.attr[string: "z"] == .null)
        guard case let .map(o)? = fromProtobuf.principal.attr[string: "o"], case let .map(k)? = o[string: "k"] else {
            Issue.record("nested struct is not a map: \(String(describing: fromProtobuf.principal.attr[string: "o"]))")
            return
        }
        #expect(k[string: "deep"] == .string("yes"))
    }

    /// Each request breaks one protovalidate rule of Cerbos's request proto; the protobuf path
    /// must refuse it with exactly the error the JSON path gives.
    @Test(arguments: [
        #"{"resources": [{"actions": ["view"], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"roles": ["user"]}, "resources": [{"actions": ["view"], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a"}, "resources": [{"actions": ["view"], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u", "u"]}, "resources": [{"actions": ["view"], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": [""]}, "resources": [{"actions": ["view"], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"], "policyVersion": "v-1"}, "resources": [{"actions": ["view"], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"], "scope": "a..b"}, "resources": [{"actions": ["view"], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"], "attr": {"": 1}}, "resources": [{"actions": ["view"], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}, "resources": []}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}, "resources": [{"actions": [], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}, "resources": [{"actions": ["v", "v"], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}, "resources": [{"actions": [""], "resource": {"kind": "k", "id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}, "resources": [{"actions": ["v"]}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}, "resources": [{"actions": ["v"], "resource": {"id": "1"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}, "resources": [{"actions": ["v"], "resource": {"kind": "k"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}, "resources": [{"actions": ["v"], "resource": {"kind": "k", "id": "1", "scope": ".x"}}]}"#,
        #"{"principal": {"id": "a", "roles": ["u"]}, "resources": [{"actions": ["v"], "resource": {"kind": "k", "id": "1"}}, {"actions": ["v"], "resource": {"kind": "k", "id": "2", "policyVersion": "a b"}}]}"#,
    ])
    func invalidRequests_failAsOnTheJSONPath(text: String) throws {
        let jsonError = #expect(throws: RequestError.self) { try CheckResourcesRequest(from: try JSONReader.parse(text)) }
        let message = try Cerbos_Request_V1_CheckResourcesRequest(jsonString: text)
        let grpcError = #expect(throws: RequestError.self) { try CheckResourcesRequest(protobuf: message) }
        #expect(grpcError == jsonError)
        #expect(grpcError != nil)
    }

    @Test func checkResources_answersEffectsMetaAndOutputs() async throws {
        let service = CerbosGRPCService(store: TestPolicies.store(try TestPolicies.engine()), identity: LiveServer.identity)
        var request = checkRequest(actions: ["view", "edit", "delete"], owner: "bob")
        request.includeMeta = true
        let response = try service.checkResources(request)
        #expect(response.requestID == "req-1")
        #expect(response.results.count == 1)
        let result = try #require(response.results.first)
        #expect(result.resource.id == "doc-1")
        #expect(result.resource.kind == "document")
        #expect(result.actions == ["view": .allow, "edit": .deny, "delete": .deny])
        #expect(result.meta.actions["view"]?.matchedPolicy == "resource.document.vdefault")
        #expect(result.outputs.count == 1)
        #expect(result.outputs.first?.src == "resource.document.vdefault#rule-001")
        #expect(result.outputs.first?.val.listValue.values.map(\.stringValue) == ["a"])
    }

    @Test func overLimitRequests_areInvalidArgument() async throws {
        let engine = try TestPolicies.engine(configuration: EngineConfiguration(maxActionsPerResource: 2))
        let service = CerbosGRPCService(store: TestPolicies.store(engine), identity: LiveServer.identity)
        let error = #expect(throws: RPCError.self) {
            try service.checkResources(checkRequest(actions: ["a", "b", "c"]))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("resources[0].actions") == true)
    }

    @Test func expiredDeadline_isDeadlineExceeded() async throws {
        let service = CerbosGRPCService(store: TestPolicies.store(try TestPolicies.engine()), identity: LiveServer.identity)
        let error = #expect(throws: RPCError.self) { try service.checkResources(checkRequest(), expired: { true }) }
        #expect(error?.code == .deadlineExceeded)
    }

    @Test func noSnapshot_isUnavailable() async throws {
        let service = CerbosGRPCService(store: TestPolicies.store(nil), identity: LiveServer.identity)
        let error = #expect(throws: RPCError.self) { try service.checkResources(checkRequest()) }
        #expect(error?.code == .unavailable)
    }

    @Test func outputValues_becomeProtobufValues() {
        let value = Value.map(MapValue(stringKeyed: [("n", .double(2)), ("l", .list([.bool(true), .null, .string("s")]))]))
        let proto = Google_Protobuf_Value(cel: value)
        #expect(proto.structValue.fields["n"]?.numberValue == 2)
        #expect(proto.structValue.fields["l"]?.listValue.values.map(\.kind) == [.boolValue(true), .nullValue(.nullValue), .stringValue("s")])
    }

}
