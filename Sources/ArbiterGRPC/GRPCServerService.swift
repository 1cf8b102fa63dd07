#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterServer
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import NIOCore
import NIOPosix
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
    /// Where the server's tasks run: on the event loops that serve its connections.
    private let executor: EventLoopTaskExecutor

    /// Serves `CerbosGRPCService` and `HealthGRPCService` from `store` on `socket`, which the
    /// transport takes over (it closes the descriptor). Unix peers outside `peerPolicy` are
    /// disconnected before their first frame is read. Decisions verify auxData with
    /// `decisions` and are audited by `recorder` when there is one.
    public init(socket: ListeningSocket, store: PolicyStore<Engine>, identity: ServerIdentity,
                decisions: EngineDecisionService = EngineDecisionService(), recorder: DecisionRecorder? = nil,
                limits: GRPCServerLimits = GRPCServerLimits(), peerPolicy: PeerPolicy = PeerPolicy(), logger: Logger) {
        self.socket = socket
        self.logger = logger
        health = HealthGRPCService(store: store)
        let group = MultiThreadedEventLoopGroup.singleton
        executor = EventLoopTaskExecutor(group: group)
        var config = HTTP2ServerTransport.Posix.Config.defaults
        config.rpc.maxRequestPayloadSize = limits.maxRecvMessageSize
        config.http2.maxConcurrentStreams = limits.maxConcurrentStreams
        // A co-located client makes one call at a time far more often than it floods the
        // socket: the transport's default flush coalescing held every response for its
        // 100 µs timer (plus the timer's slack), which made a unary call about 13 times as slow
        // as the same request on the JSON-RPC socket (docs/benchmarks.md). Each response is
        // flushed as soon as it is written instead.
        config.connection.flushCoalescing = nil
        let auditsPeers = recorder != nil && socket.isUnixDomain
        if (peerPolicy.isRestricted && socket.isUnixDomain) || auditsPeers {
            config.channelDebuggingCallbacks.onAcceptTCPConnection = Self.peerCheck(
                peerPolicy, keepsPeer: auditsPeers, socketPath: socket.path, logger: logger)
        }
        let maxMessageSize = limits.maxRecvMessageSize, auditing = recorder != nil
        config.channelDebuggingCallbacks.onAcceptHTTP2Stream = { stream in
            stream.eventLoop.makeCompletedFuture {
                let peerText = auditsPeers ? GRPCConnectionPeer.text(forStream: stream) : nil
                try stream.pipeline.syncOperations.addHandler(
                    GRPCStreamGuard(maxMessageSize: maxMessageSize, auditing: auditing, peerText: peerText), position: .first)
            }
        }
        let transport = HTTP2ServerTransport.Posix(
            listeningSocketDescriptor: Int(socket.descriptor), transportSecurity: .plaintext, config: config,
            eventLoopGroup: group)
        server = GRPCServer(transport: transport, services: [
            CerbosGRPCService(store: store, identity: identity, decisions: decisions, recorder: recorder), health,
        ])
    }

    public func run() async throws {
        logger.info("gRPC API listening", metadata: ["socket": "\(socket.displayName)"])
        defer {
            if socket.ownsPath, let path = socket.path { unlink(path) }
            logger.info("gRPC API stopped", metadata: ["socket": "\(socket.displayName)"])
        }
        try await withGracefulShutdownHandler {
            // Every connection's and stream's task inherits the preference: a call stays on the
            // loop thread that read it instead of hopping to the global executor's threads and
            // back for each request part and response write (docs/benchmarks.md, gRPC section).
            try await withTaskExecutorPreference(executor) {
                try await server.serve()
            }
        } onGracefulShutdown: { [health, server] in
            health.beginShutdown()
            server.beginGracefulShutdown()
        }
    }

    /// Reads the peer's `SO_PEERCRED` and closes the connection before its first frame when the
    /// allow-lists exclude it, as `ConnectionListener` does for the other sockets; with
    /// `keepsPeer` (an audited server) keeps the peer, named by `socketPath`, for the audit log
    /// in a `GRPCConnectionPeer`.
    static func peerCheck(_ policy: PeerPolicy, keepsPeer: Bool = false, socketPath: String? = nil,
                          logger: Logger) -> @Sendable (any Channel) -> EventLoopFuture<Void> {
        { channel in
            PeerCredentials.read(from: channel).flatMapThrowing { peer in
                guard policy.allows(peer) else {
                    logger.warning("gRPC API: refused connection from a peer not in the allow-lists", metadata: ["peer": "\(peer)"])
                    throw PeerRefused()
                }
                if keepsPeer {
                    try channel.pipeline.syncOperations.addHandler(
                        GRPCConnectionPeer(AuditPeer.unix(path: socketPath, credentials: peer)), position: .first)
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
