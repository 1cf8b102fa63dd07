import ArbiterEngine
import ArbiterServer
import GRPCCore
import SwiftProtobuf

/// `cerbos.svc.v1.CerbosService`: CheckResources, PlanResources and ServerInfo from the daemon's
/// snapshot cell, decided by the same `EngineDecisionService` the JSON-RPC socket and the HTTP
/// API use (auxData JWTs verified, decisions audited through the same `DecisionRecorder`).
/// Methods this server does not register (the deprecated CheckResourceSet/Batch, the admin and
/// playground services) are answered UNIMPLEMENTED by the server's router (`GRPCMethod`).
/// The daemon's HTTP/2 handler (`GRPCConnectionHandler`) calls it on the connection's loop.
public struct CerbosGRPCService: Sendable {
    /// The snapshot cell shared with the other front ends.
    public let store: PolicyStore<Engine>
    /// What ServerInfo reports.
    public let identity: ServerIdentity
    /// The decision service of the other front ends: auxData verification and audit recording.
    public let decisions: EngineDecisionService
    /// Where decisions are audited; nil when auditing is off.
    public let recorder: DecisionRecorder?

    /// Creates the service.
    public init(store: PolicyStore<Engine>, identity: ServerIdentity, decisions: EngineDecisionService = EngineDecisionService(),
                recorder: DecisionRecorder? = nil) {
        self.store = store
        self.identity = identity
        self.decisions = decisions
        self.recorder = recorder
    }

    /// Validates the request as the JSON path does, decides every resource on one snapshot, and
    /// maps the engine response to protobuf. Bad and over-limit requests and tokens that do not
    /// verify are INVALID_ARGUMENT.
    /// `expired` says when the caller has stopped waiting (its `grpc-timeout` passed).
    func checkResources(_ message: Cerbos_Request_V1_CheckResourcesRequest, call: DecisionCall = DecisionCall(),
                        expired: () -> Bool = { false }) throws -> Cerbos_Response_V1_CheckResourcesResponse {
        let decided = try decide(call, expired) { engine, call in
            try decisions.decideCheckResources(try CheckResourcesRequest(protobuf: message), snapshot: engine, call: call)
        }
        var response = Cerbos_Response_V1_CheckResourcesResponse(decided.response)
        response.cerbosCallID = decided.callID
        return response
    }

    /// The query plan for a resource kind (spec §4.3), validated, verified and planned as on the
    /// JSON path; the filter's operand tree, meta and validation errors mapped to protobuf.
    /// `expired` as for CheckResources.
    func planResources(_ message: Cerbos_Request_V1_PlanResourcesRequest, call: DecisionCall = DecisionCall(),
                       expired: () -> Bool = { false }) throws -> Cerbos_Response_V1_PlanResourcesResponse {
        let planned = try decide(call, expired) { engine, call in
            try decisions.decidePlanResources(try PlanResourcesRequest(protobuf: message), snapshot: engine, call: call)
        }
        var response = Cerbos_Response_V1_PlanResourcesResponse(planned.response)
        response.cerbosCallID = planned.callID
        return response
    }

    /// Cerbos's `{version, commit, buildDate}`: the build identifier stands in for the commit and
    /// the date is left empty, as the HTTP API reports it.
    public func serverInfo() -> Cerbos_Response_V1_ServerInfoResponse {
        .with {
            $0.version = identity.version
            $0.commit = identity.build
        }
    }

    /// One decision on the current snapshot, the call stamped with its generation (read with it):
    /// no snapshot is UNAVAILABLE, request problems INVALID_ARGUMENT, and a caller whose deadline
    /// passed before or during the decision has gone, so it gets DEADLINE_EXCEEDED, not an answer.
    private func decide<T>(_ call: DecisionCall, _ expired: () -> Bool,
                           _ body: (Engine, DecisionCall) throws -> T) throws -> T {
        try GRPCStatus.checkDeadline(expired)
        guard case let (engine, generation)? = store.snapshotWithGeneration() else {
            throw RPCError(code: .unavailable, message: "no policies are loaded yet (the first compile failed or is still running)")
        }
        var call = call
        call.generation = generation
        let result = try GRPCStatus.mappingErrors { try body(engine, call) }
        try GRPCStatus.checkDeadline(expired)
        return result
    }
}
