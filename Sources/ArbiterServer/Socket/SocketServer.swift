import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Serves the protocol on a listening Unix socket until graceful shutdown: then it stops
/// accepting, shuts the read side of every connection, answers every request frame the kernel
/// had already received, closes each connection once its responses are written, and returns
/// when the last one has closed (the service group's grace period bounds the wait). See
/// "Shutdown" in docs/protocol.md.
///
/// Each connection is decided inline on its event loop: read, frame, parse, decide with the
/// snapshot read once per request, encode, write; responses to the frames of one read are
/// flushed together. That is safe for the other connections because a decision is bounded CPU
/// work (request limits cap resources and actions, frames are capped, and CEL programs always
/// terminate, their loops bounded by the input), and a connection whose client does not read
/// its responses is not read from either. Connections are spread over the event loops.
public final class SocketServer<Decisions: DecisionService>: Service, Sendable {
    /// Framing limits for each connection.
    public struct Limits: Sendable, Hashable {
        /// Largest accepted frame payload.
        public var maxFrameSize: Int
        /// How long a partial frame may stay incomplete.
        public var frameTimeout: TimeAmount
        /// Creates limits (4 MiB, 10 s by default).
        public init(maxFrameSize: Int = 4 << 20, frameTimeout: TimeAmount = .seconds(10)) {
            self.maxFrameSize = maxFrameSize
            self.frameTimeout = frameTimeout
        }
    }

    private let listener: ConnectionListener

    /// Creates a server for an already bound socket; `onListening` runs once connections are
    /// being accepted (the daemon sends `READY=1` from it).
    public init(
        socket: ListeningSocket, dispatcher: RPCDispatcher<Decisions>, limits: Limits = Limits(),
        peerPolicy: PeerPolicy = PeerPolicy(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger, onListening: @escaping @Sendable () -> Void = {}
    ) {
        listener = ConnectionListener(socket: socket, peerPolicy: peerPolicy, group: group, logger: logger,
                                      onListening: onListening) { channel, shutdownInput, credentials in
            let sync = channel.pipeline.syncOperations
            try sync.addHandler(FrameDecoder(maxFrameSize: limits.maxFrameSize, frameTimeout: limits.frameTimeout,
                                             shutdownInput: shutdownInput))
            // The peer (and its executable, one readlink per connection) matters only to the audit log.
            let peer = dispatcher.recorder == nil ? nil : AuditPeer.accepted(channel, on: socket, credentials: credentials)
            try sync.addHandler(RPCHandler(dispatcher: dispatcher, peer: peer, logger: logger))
        }
    }

    /// Number of open client connections (for tests and status).
    public var connectionCount: Int { listener.connectionCount }

    public func run() async throws {
        try await listener.run()
    }
}
