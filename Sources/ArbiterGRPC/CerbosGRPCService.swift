import ArbiterEngine
import ArbiterServer
import GRPCCore

/// `cerbos.svc.v1.CerbosService`: CheckResources and ServerInfo from the daemon's snapshot cell,
/// decided by the same `Engine` the JSON-RPC socket and the HTTP API use. Methods this server
/// does not register (the deprecated CheckResourceSet/Batch, the admin and playground
/// services) are answered UNIMPLEMENTED by grpc-swift's router.
public struct CerbosGRPCService: Cerbos_Svc_V1_CerbosService.SimpleServiceProtocol {
    /// The snapshot cell shared with the other front ends.
    public let store: PolicyStore<Engine>
    /// What ServerInfo reports.
    public let identity: ServerIdentity

    /// Creates the service.
    public init(store: PolicyStore<Engine>, identity: ServerIdentity) {
        self.store = store
        self.identity = identity
    }

    /// Validates the request as the JSON path does, decides every resource on one snapshot, and
    /// maps the engine response to protobuf. Bad and over-limit requests are INVALID_ARGUMENT.
    public func checkResources(
        request: Cerbos_Request_V1_CheckResourcesRequest, context: ServerContext
    ) async throws -> Cerbos_Response_V1_CheckResourcesResponse {
        try GRPCStatus.checkDeadline(context)
        let engine = try snapshot()
        let response: CheckResourcesResponse
        do {
            response = try engine.checkResources(try CheckResourcesRequest(protobuf: request))
        } catch {
            throw GRPCStatus.invalidArgument(error)
        }
        // A caller whose deadline passed during the decision has gone; say so instead of answering.
        try GRPCStatus.checkDeadline(context)
        return Cerbos_Response_V1_CheckResourcesResponse(response)
    }

    /// Cerbos's `{version, commit, buildDate}`: the build identifier stands in for the commit and
    /// the date is left empty, as the HTTP API reports it.
    public func serverInfo(
        request: Cerbos_Request_V1_ServerInfoRequest, context: ServerContext
    ) async throws -> Cerbos_Response_V1_ServerInfoResponse {
        .with {
            $0.version = identity.version
            $0.commit = identity.build
        }
    }

    /// Not served yet: the query planner lands separately. Wiring it is a mapping like
    /// CheckResources' (`PlanResourcesRequest(protobuf:)`, `engine.planResources`, a response
    /// mapping) in this method.
    public func planResources(
        request: Cerbos_Request_V1_PlanResourcesRequest, context: ServerContext
    ) async throws -> Cerbos_Response_V1_PlanResourcesResponse {
        throw RPCError(code: .unimplemented, message: "PlanResources is not implemented by this server yet")
    }

    private func snapshot() throws -> Engine {
        guard let engine = store.snapshot() else {
            throw RPCError(code: .unavailable, message: "no policies are loaded yet (the first compile failed or is still running)")
        }
        return engine
    }
}
