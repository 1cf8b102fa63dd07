import ArbiterEngine
import ArbiterServer
import Logging
import ServiceLifecycle

/// Cerbos's gRPC API as a daemon front end: the listener of `server.grpcListenAddr` (or the
/// systemd socket named `grpc`), bound by the same rules as the HTTP API's, served by the
/// daemon's own HTTP/2 handler (`GRPCServerService`) with `CerbosGRPCService` and `HealthGRPCService`.
public enum GRPCFrontEnd {
    /// The factory `ArbiterDaemon` calls: nil when `server.grpcListenAddr` is unset and systemd
    /// passed no `grpc` socket. The engine's own decision service, since protobuf requests skip
    /// the JSON-shaped `DecisionService` methods and need its typed ones.
    public static func factory() -> FrontEndFactory<EngineDecisionService> {
        return { context in try makeService(context) }
    }

    static func makeService(_ context: FrontEndContext<EngineDecisionService>) throws -> GRPCServerService? {
        let config = context.configuration
        guard let socket = try context.listeningSocket(activated: context.activatedSockets.grpc,
                                                       address: config.grpcListenAddress, purpose: "gRPC API") else { return nil }
        return GRPCServerService(
            socket: socket, store: context.store, identity: context.identity, decisions: context.decisions,
            recorder: context.recorder, limits: GRPCServerLimits(maxRecvMessageSize: config.grpcMaxRecvMessageSize),
            peerPolicy: PeerPolicy(allowedUIDs: Set(config.allowedUIDs), allowedGIDs: Set(config.allowedGIDs)),
            logger: context.logger)
    }
}
