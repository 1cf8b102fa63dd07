#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Serves the protocol on a listening Unix socket until graceful shutdown: then it stops
/// accepting, lets every connection finish the requests it has received, and returns when the
/// last connection has closed (the service group's grace period bounds the wait).
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

    private let socket: ListeningSocket
    private let dispatcher: RPCDispatcher<Decisions>
    private let limits: Limits
    private let peerPolicy: PeerPolicy
    private let group: any EventLoopGroup
    private let logger: Logger
    private let onListening: @Sendable () -> Void
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Creates a server for an already bound socket; `onListening` runs once connections are
    /// being accepted (the daemon sends `READY=1` from it).
    public init(
        socket: ListeningSocket, dispatcher: RPCDispatcher<Decisions>, limits: Limits = Limits(),
        peerPolicy: PeerPolicy = PeerPolicy(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger, onListening: @escaping @Sendable () -> Void = {}
    ) {
        self.socket = socket
        self.dispatcher = dispatcher
        self.limits = limits
        self.peerPolicy = peerPolicy
        self.group = group
        self.logger = logger
        self.onListening = onListening
    }

    /// Number of open client connections (for tests and status).
    public var connectionCount: Int { connections.withLock { $0.count } }

    public func run() async throws {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { [self] channel in self.initialize(channel) }
            .withBoundSocket(socket.descriptor)
            .get()
        logger.info("listening", metadata: ["socket": "\(socket.path ?? "fd \(socket.descriptor)")"])
        onListening()
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await server.closeFuture.get()
            } onGracefulShutdown: { [self] in
                logger.info("shutting down: no longer accepting connections")
                server.close(promise: nil)
                for channel in connections.withLock({ Array($0.values) }) {
                    channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
                }
            }
            // Connections accepted just before the close still get the quiesce event.
            for channel in connections.withLock({ Array($0.values) }) {
                channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
                try? await channel.closeFuture.get()
            }
        } onCancel: { [self] in
            server.close(promise: nil)
            for channel in connections.withLock({ Array($0.values) }) { channel.close(promise: nil) }
        }
        if socket.ownsPath, let path = socket.path { unlink(path) }
        logger.info("server stopped")
    }

    private func initialize(_ channel: any Channel) -> EventLoopFuture<Void> {
        let checked: EventLoopFuture<Void>
        if peerPolicy.isRestricted, let provider = channel as? any SocketOptionProvider {
            checked = provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
                .flatMapThrowing { [self] (cred: RawPeerCredentials) in
                    let peer = PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid)
                    guard peerPolicy.allows(peer) else {
                        logger.warning("refused connection from a peer not in the allow-lists", metadata: ["peer": "\(peer)"])
                        throw SocketSetupError("peer refused: \(peer)")
                    }
                    logger.debug("accepted connection", metadata: ["peer": "\(peer)"])
                }
        } else {
            checked = channel.eventLoop.makeSucceededVoidFuture()
        }
        return checked.flatMap { [self] in
            let id = ObjectIdentifier(channel)
            connections.withLock { $0[id] = channel }
            channel.closeFuture.whenComplete { [self] _ in _ = connections.withLock { $0.removeValue(forKey: id) } }
            return channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(FrameDecoder(maxFrameSize: limits.maxFrameSize, frameTimeout: limits.frameTimeout))
                try sync.addHandler(RPCHandler(dispatcher: dispatcher, logger: logger))
            }
        }.flatMapErrorThrowing { error in
            channel.close(promise: nil)
            throw error
        }
    }
}

/// The layout of Linux's `struct ucred`, which Glibc only exports under `_GNU_SOURCE`.
struct RawPeerCredentials: Sendable {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32
}
