import ArbiterEngine
import ArbiterServer
import Logging
import NIOCore
import NIOHTTP2
import NIOPosix
import ServiceLifecycle

/// One gRPC server on an already bound listening socket, run as a `Service`: connections are
/// accepted by the `ConnectionListener` the JSON-RPC socket and the HTTP API use (the same
/// peer allow-lists, the same drain), and each is an HTTP/2 connection whose calls
/// `GRPCConnectionHandler` answers on its event loop. Graceful shutdown stops accepting, turns
/// health to NOT_SERVING, sends GOAWAY, ends Watch streams and lets calls in flight finish (the
/// service group's grace period bounds the wait); cancellation closes everything. The socket
/// file is removed on the way out when this process created it.
public final class GRPCServerService: Service, Sendable {
    /// The health service, for tests and for shutdown.
    public let health: HealthGRPCService
    private let listener: ConnectionListener
    private let socket: ListeningSocket
    private let logger: Logger

    /// Serves CerbosService and grpc.health.v1 from `store` on `socket`, which the listener
    /// takes over (it closes the descriptor). Unix peers outside `peerPolicy` are disconnected
    /// before their first byte is read. Decisions verify auxData with `decisions` and are
    /// audited by `recorder` when there is one, with the connection's peer.
    public init(socket: ListeningSocket, store: PolicyStore<Engine>, identity: ServerIdentity,
                decisions: EngineDecisionService = EngineDecisionService(), recorder: DecisionRecorder? = nil,
                limits: GRPCServerLimits = GRPCServerLimits(), peerPolicy: PeerPolicy = PeerPolicy(), logger: Logger) {
        self.socket = socket
        self.logger = logger
        let health = HealthGRPCService(store: store)
        self.health = health
        let answerer = GRPCCallAnswerer(
            cerbos: CerbosGRPCService(store: store, identity: identity, decisions: decisions, recorder: recorder),
            health: health, limits: limits)
        listener = ConnectionListener(socket: socket, peerPolicy: peerPolicy, logger: logger) { channel, _, credentials in
            // The peer matters only to the audit log: skip the readlink when it is off.
            let peer = recorder != nil ? AuditPeer.accepted(channel, on: socket, credentials: credentials) : nil
            try Self.addHandlers(to: channel.pipeline.syncOperations, answerer: answerer, peer: peer)
        }
    }

    /// One connection's pipeline: NIO's HTTP/2 framing and state, then the calls.
    static func addHandlers(to pipeline: ChannelPipeline.SynchronousOperations, answerer: GRPCCallAnswerer, peer: AuditPeer?) throws {
        try pipeline.addHandler(NIOHTTP2Handler(mode: .server, initialSettings: GRPCConnectionHandler.settings(answerer.limits)))
        try pipeline.addHandler(GRPCConnectionHandler(answerer: answerer, peer: peer))
    }

    public func run() async throws {
        logger.info("gRPC API listening", metadata: ["socket": "\(socket.displayName)"])
        defer { logger.info("gRPC API stopped", metadata: ["socket": "\(socket.displayName)"]) }
        try await withGracefulShutdownHandler {
            try await listener.run()
        } onGracefulShutdown: { [health] in
            health.beginShutdown()
        }
    }
}
