import ArbiterEngine
import ArbiterServer
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import ServiceLifecycle

/// Cerbos's gRPC API as a daemon front end: the listener of `server.grpcListenAddr` (or the
/// systemd socket named `grpc`), bound by the same rules as the HTTP API's, served by grpc-swift's
/// HTTP/2 transport with `CerbosGRPCService` and `HealthGRPCService`.
public enum GRPCFrontEnd {
    /// The factory `ArbiterDaemon` calls: nil when `server.grpcListenAddr` is unset and systemd
    /// passed no `grpc` socket.
    public static func factory<Decisions: DecisionService>() -> FrontEndFactory<Decisions> where Decisions.Snapshot == Engine {
        return { context in try makeService(context) }
    }

    static func makeService<Decisions: DecisionService>(_ context: FrontEndContext<Decisions>) throws -> GRPCServerService?
    where Decisions.Snapshot == Engine {
        let config = context.configuration
        guard let socket = try context.listeningSocket(activated: context.activatedSockets.grpc,
                                                       address: config.grpcListenAddress, purpose: "gRPC API") else { return nil }
        return GRPCServerService(
            socket: socket, store: context.store, identity: context.identity,
            limits: GRPCServerLimits(maxRecvMessageSize: config.grpcMaxRecvMessageSize),
            peerPolicy: PeerPolicy(allowedUIDs: Set(config.allowedUIDs), allowedGIDs: Set(config.allowedGIDs)),
            logger: context.logger)
    }
}
