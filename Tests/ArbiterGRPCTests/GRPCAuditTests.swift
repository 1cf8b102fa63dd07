#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterGRPC
import ArbiterJSON
import ArbiterServer
import CEL
import Foundation
import GRPCCore
import GRPCTestTransport
import Logging
import SwiftProtobuf
import Testing

/// gRPC calls are audited through the daemon's one `DecisionRecorder`, as JSON-RPC and HTTP calls
/// are: the entry's call id is the `cerbosCallId` answered, the peer is the Unix socket's with
/// the client's credentials, the metadata is the call's, filtered by the configured keys.
@Suite struct GRPCAuditTests {
    @Test func checkAndPlan_overGRPC_areLoggedFieldByField_asTheJSONPathLogsThem() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var audit = AuditConfiguration()
        audit.enabled = true
        audit.accessLogsEnabled = false
        audit.decisionLogsEnabled = true
        audit.filePath = dir.path + "/audit.log"
        audit.excludeMetadataKeys = ["authorization"]
        let recorder = try #require(try DecisionRecorder.make(audit, logger: Logger(label: "arbiter.grpc.test")))
        let engine = try TestPolicies.engine()
        let plan = try Cerbos_Request_V1_PlanResourcesRequest(jsonString: """
            {"requestId": "p-1", "principal": {"id": "alice", "roles": ["user"]}, "resource": {"kind": "document"},
             "actions": ["view", "edit"]}
            """)
        // The client claims to be someone else: the server must replace this with what the socket says.
        let metadata: Metadata = ["x-tenant": "t1", "authorization": "Bearer secret", "arbiter-peer-credentials": "1 2 3 /spoofed"]
        let (checked, planned, socketPath) = try await LiveServer.with(engine: engine, recorder: recorder) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                let checked = try await cerbos.checkResources(checkRequest(), metadata: metadata)
                let planned = try await cerbos.planResources(plan, metadata: metadata)
                return (checked, planned, server.socketPath)
            }
        }
        // The same requests through the JSON path, recorded by the same recorder.
        let json = EngineDecisionService()
        var w = JSONWriter(capacity: 512)
        try json.writeCheckResources(try JSONReader.parse(try checkRequest().jsonString()), snapshot: engine,
                                     call: DecisionCall(recorder: recorder, generation: 1), into: &w)
        _ = try json.planResources(try JSONReader.parse(try plan.jsonString()), snapshot: engine,
                                   call: DecisionCall(recorder: recorder, generation: 1))
        await recorder.close()

        let lines = try String(contentsOfFile: dir.path + "/audit.log", encoding: .utf8).split(separator: "\n")
        try #require(lines.count == 4, "want 4 entries, got \(lines)")
        let entries = try lines.map { try JSONReader.parse(Array($0.utf8)) }
        let (grpcCheck, grpcPlan, jsonCheck, jsonPlan) = (entries[0], entries[1], entries[2], entries[3])

        #expect(!checked.cerbosCallID.isEmpty)
        #expect(!planned.cerbosCallID.isEmpty)
        #expect(grpcCheck[member: "callId"] == .string(checked.cerbosCallID))
        #expect(grpcPlan[member: "callId"] == .string(planned.cerbosCallID))
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        for entry in [grpcCheck, grpcPlan] {
            let peer = entry[member: "peer"]
            #expect(peer?[member: "address"] == .string("unix:" + socketPath))
            // The client is this test process.
            #expect(peer?[member: "pid"].flatMap(Self.number) == Double(getpid()))
            #expect(peer?[member: "uid"].flatMap(Self.number) == Double(getuid()))
            #expect(peer?[member: "gid"].flatMap(Self.number) == Double(getgid()))
            #expect(peer?[member: "executable"] == .string(executable))
            // The client's user-agent is the peer's, and stays in the metadata as Cerbos logs it.
            #expect(peer?[member: "userAgent"] == .string(UnixSocketClientTransport.userAgent))
            #expect(peer?[member: "userAgent"] == entry[member: "metadata"]?[member: "user-agent"]?[member: "values"]?[index: 0])
            let meta = entry[member: "metadata"]
            #expect(meta?[member: "x-tenant"] == .map(MapValue(stringKeyed: [("values", .list([.string("t1")]))])))
            #expect(meta?[member: "authorization"] == nil)
            #expect(meta?[member: "arbiter-peer-credentials"] == nil)
            // The headers grpc-go makes metadata, as Cerbos logs them: not the request line or the transport's own.
            #expect(meta?[member: "content-type"] == .map(MapValue(stringKeyed: [("values", .list([.string("application/grpc")]))])))
            for transportHeader in [":path", ":method", ":scheme", "te", "grpc-timeout"] {
                #expect(meta?[member: transportHeader] == nil, "\(transportHeader) is logged as metadata")
            }
            #expect(entry[member: "policyGeneration"].flatMap(Self.number) == 1)
        }
        // What was decided is logged exactly as for the JSON path.
        #expect(grpcCheck[member: "checkResources"] != nil)
        #expect(grpcCheck[member: "checkResources"] == jsonCheck[member: "checkResources"])
        #expect(grpcCheck[member: "auditTrail"] == jsonCheck[member: "auditTrail"])
        #expect(grpcPlan[member: "planResources"] != nil)
        #expect(grpcPlan[member: "planResources"] == jsonPlan[member: "planResources"])
        // And the answer's effects are the logged ones.
        #expect(grpcCheck[member: "checkResources"]?[member: "outputs"]?[index: 0]?[member: "actions"]?[member: "edit"]?[member: "effect"]
                == .string("EFFECT_ALLOW"))
        #expect(checked.results.first?.actions["edit"] == .allow)
    }

    @Test func withoutARecorder_aCallIDIsStillAnswered_asCerbosAlwaysDoes() async throws {
        let checked = try await LiveServer.with(engine: try TestPolicies.engine()) { server in
            try await server.withClient { client in
                try await Cerbos_Svc_V1_CerbosService.Client(wrapping: client).checkResources(checkRequest())
            }
        }
        #expect(checked.cerbosCallID.count == 26, "a ULID: \(checked.cerbosCallID)")
        #expect(checked.results.first?.actions["view"] == .allow)
    }

    static func number(_ v: Value) -> Double? {
        switch v {
        case let .int(i): return Double(i)
        case let .uint(u): return Double(u)
        case let .double(d): return d
        default: return nil
        }
    }
}

extension Value {
    /// The item at `i` of a list; nil for anything else.
    subscript(index i: Int) -> Value? {
        if case let .list(items) = self, i < items.count { return items[i] }
        return nil
    }
}
