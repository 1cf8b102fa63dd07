#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterServer
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import NIOCore
import ServiceLifecycle

/// One gRPC server on an already bound listening socket, run as a `Service`: graceful shutdown
/// stops accepting, turns health to NOT_SERVING, and lets in-flight calls finish (the service
/// group's grace period bounds the wait); cancellation closes everything. The socket file is
/// removed on the way out when this process created it.
public final class GRPCServerService: Service, Sendable {
    /// The health service, for tests and for shutdown.
    public let health: HealthGRPCService
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let socket: ListeningSocket
    private let logger: Logger

    /// Serves `CerbosGRPCService` and `HealthGRPCService` from `store` on `socket`, which the
    /// transport takes over (it closes the descriptor). Unix peers outside `peerPolicy` are
    /// disconnected before their first frame is read.
    public init(socket: ListeningSocket, store: PolicyStore<Engine>, identity: ServerIdentity,
                limits: GRPCServerLimits = GRPCServerLimits(), peerPolicy: PeerPolicy = PeerPolicy(), logger: Logger) {
        self.socket = socket
        self.logger = logger
        health = HealthGRPCService(store: store)
        var config = HTTP2ServerTransport.Posix.Config.defaults
        config.rpc.maxRequestPayloadSize = limits.maxRecvMessageSize
        config.http2.maxConcurrentStreams = limits.maxConcurrentStreams
        if peerPolicy.isRestricted, socket.isUnixDomain {
            config.channelDebuggingCallbacks.onAcceptTCPConnection = Self.peerCheck(peerPolicy, logger: logger)
        }
        let transport = HTTP2ServerTransport.Posix(
            listeningSocketDescriptor: Int(socket.descriptor), transportSecurity: .plaintext, config: config)
        server = GRPCServer(transport: transport, services: [
            CerbosGRPCService(store: store, identity: identity), health,
        ])
    }

    public func run() async throws {
        logger.info("gRPC API listening", metadata: ["socket": "\(socket.displayName)"])
        defer {
            if socket.ownsPath, let path = socket.path { unlink(path) }
            logger.info("gRPC API stopped", metadata: ["socket": "\(socket.displayName)"])
        }
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: { [health, server] in
            health.beginShutdown()
            server.beginGracefulShutdown()
        }
    }

    /// Reads the peer's `SO_PEERCRED` and closes the connection before its first frame when the
    /// allow-lists exclude it, as `ConnectionListener` does for the other sockets.
    static func peerCheck(_ policy: PeerPolicy, logger: Logger) -> @Sendable (any Channel) -> EventLoopFuture<Void> {
        { channel in
            PeerCredentials.read(from: channel).flatMapThrowing { peer in
                guard policy.allows(peer) else {
                    logger.warning("gRPC API: refused connection from a peer not in the allow-lists", metadata: ["peer": "\(peer)"])
                    throw PeerRefused()
                }
            }.flatMapErrorThrowing { error in
                // A failed set-up alone leaves the socket open and the client waiting for SETTINGS.
                channel.close(promise: nil)
                throw error
            }
        }
    }

    struct PeerRefused: Error {}
}
