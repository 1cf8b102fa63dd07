import ArbiterServer
import GRPCCore
import NIOCore
import NIOHPACK
import SwiftProtobuf

/// What every connection of one gRPC server shares, and the answer to one unary call: the
/// request message decoded, decided by `CerbosGRPCService` or `HealthGRPCService`, and the
/// response framed. Runs on the connection's event loop, as the JSON-RPC socket's decisions do.
struct GRPCCallAnswerer: Sendable {
    let cerbos: CerbosGRPCService
    let health: HealthGRPCService
    let limits: GRPCServerLimits

    /// The framed response message of a unary `method`, or the status it fails with.
    func answer(_ method: GRPCMethod, message: ByteBuffer, headers: HPACKHeaders, deadline: NIODeadline?, peer: AuditPeer?,
                allocator: ByteBufferAllocator) -> Result<ByteBuffer, GRPCCallError> {
        do {
            let expired = { deadline.map { $0 <= .now() } ?? false }
            switch method {
            case .checkResources:
                let request = try Self.decode(Cerbos_Request_V1_CheckResourcesRequest.self, message)
                let response = try cerbos.checkResources(request, call: call(headers, peer), expired: expired)
                return .success(try GRPCResponseHeaders.frame(response, allocator: allocator))
            case .planResources:
                let request = try Self.decode(Cerbos_Request_V1_PlanResourcesRequest.self, message)
                let response = try cerbos.planResources(request, call: call(headers, peer), expired: expired)
                return .success(try GRPCResponseHeaders.frame(response, allocator: allocator))
            case .serverInfo:
                _ = try Self.decode(Cerbos_Request_V1_ServerInfoRequest.self, message)
                return .success(try GRPCResponseHeaders.frame(cerbos.serverInfo(), allocator: allocator))
            case .healthCheck:
                let request = try Self.decode(Grpc_Health_V1_HealthCheckRequest.self, message)
                guard let status = health.status(of: request.service) else {
                    throw GRPCCallError(.notFound, "unknown service \(request.service)")
                }
                return .success(try GRPCResponseHeaders.frame(Grpc_Health_V1_HealthCheckResponse.with { $0.status = status },
                                                              allocator: allocator))
            case .healthWatch:
                throw GRPCCallError(.internalError, "Watch is a streaming method")
            }
        } catch {
            return .failure(GRPCCallError(error))
        }
    }

    /// The call's audit view, or an empty call when auditing is off (nothing is read then).
    private func call(_ headers: HPACKHeaders, _ peer: AuditPeer?) -> DecisionCall {
        guard let recorder = cerbos.recorder else { return DecisionCall() }
        return DecisionCall(grpcHeaders: headers, peer: peer ?? AuditPeer(), recorder: recorder)
    }

    /// A request message, or INTERNAL as grpc-go answers bytes that are not one.
    static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ buffer: ByteBuffer) throws(GRPCCallError) -> M {
        do {
            return try M(serializedBytes: buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? [])
        } catch {
            throw GRPCCallError(.internalError, "grpc: error unmarshalling request: \(error)")
        }
    }
}
